package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A frame prefix written from the header's pre-encoded later fields is byte for byte the one
 * written field by field.
 */
class RequestFieldsAfterIdTest {
  private static final byte[] TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.US_ASCII);

  @Test
  void writesTheSameBytesAsTheFieldByFieldEncoder() {
    Random random = new Random(15);
    byte[] scratch = new byte[RequestHeaderCodec.MAX_PREFIX_SCRATCH];
    long[] ids = {0, 1, 127, 128, 1L << 24, (1L << 24) * 77 + 5, Long.MAX_VALUE, -1};
    int[] kinds = {0, 1, 2, 3, 4, 127, 128, -1};
    for (int i = 0; i < 2_000; i++) {
      int kind = kinds[random.nextInt(kinds.length)];
      long id = random.nextBoolean() ? ids[random.nextInt(ids.length)] : random.nextLong();
      byte[] type = bytes(random, 1 + random.nextInt(300));
      boolean noRetry = random.nextBoolean();
      byte[] routingKey = random.nextBoolean() ? new byte[0] : bytes(random, 1 + random.nextInt(255));
      int priority = random.nextInt(4) - 1;
      int timeoutMs = random.nextBoolean() ? 0 : random.nextInt();
      byte[] traceparent = random.nextBoolean() ? new byte[0] : TRACEPARENT;
      int body = random.nextInt(1 << 20);

      ByteBuf expected = Unpooled.buffer();
      ByteBuf actual = Unpooled.buffer();
      try {
        RequestHeaderCodec.writeFramePrefix(expected, kind, id, type, noRetry, routingKey, priority, timeoutMs, traceparent, body);
        byte[] fields = RequestHeaderCodec.fieldsAfterId(type, noRetry, routingKey, priority, timeoutMs, traceparent);
        RequestHeaderCodec.writeFramePrefix(actual, scratch, kind, id, fields, body);
        assertThat(ByteBufUtil.hexDump(actual)).isEqualTo(ByteBufUtil.hexDump(expected));
        assertThat(RequestHeaderCodec.frameSizeWithFields(kind, id, fields, body))
            .isEqualTo(RequestHeaderCodec.frameSize(kind, id, type, noRetry, routingKey, priority, timeoutMs, traceparent, body));
      } finally {
        expected.release();
        actual.release();
      }
    }
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
