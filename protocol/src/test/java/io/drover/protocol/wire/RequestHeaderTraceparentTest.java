package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The traceparent of a client's request as the master reads it: kept as a range of the frame when
 * it has the version 00 layout, dropped (the task runs untraced) when it does not, and absent
 * unless sent.
 */
class RequestHeaderTraceparentTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aRequestWithoutATraceparentHasNone() {
    RequestHeaderCodec codec = decode(RequestHeader.newBuilder().setRequestId(7).setTaskType("echo").build());

    assertThat(codec.traceparentLength()).isZero();
    assertThat(codec.requestId()).isEqualTo(7);
  }

  @Test
  void aWellFormedTraceparentIsKeptAsARangeOfTheFrame() {
    ByteBuf frame = frame(RequestHeader.newBuilder().setRequestId(7).setTraceparent(VALID).build());
    try {
      RequestHeaderCodec codec = new RequestHeaderCodec();
      codec.decode(frame);

      assertThat(codec.traceparentLength()).isEqualTo(55);
      assertThat(frame.toString(codec.traceparentIndex(), codec.traceparentLength(), StandardCharsets.US_ASCII))
          .isEqualTo(VALID);
    } finally {
      frame.release();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01"
      })
  void aMalformedTraceparentIsDroppedAndTheRestOfTheHeaderRead(String traceparent) {
    RequestHeaderCodec codec =
        decode(
            RequestHeader.newBuilder()
                .setTraceparent(traceparent)
                .setRequestId(9)
                .setTimeoutMs(5)
                .build());

    assertThat(codec.traceparentLength()).isZero();
    assertThat(codec.requestId()).isEqualTo(9);
    assertThat(codec.timeoutMs()).isEqualTo(5);
  }

  @Test
  void aDroppedTraceparentDoesNotLeakIntoTheNextRequestDecoded() {
    RequestHeaderCodec codec = new RequestHeaderCodec();
    ByteBuf traced = frame(RequestHeader.newBuilder().setTraceparent(VALID).build());
    ByteBuf untraced = frame(RequestHeader.newBuilder().setRequestId(2).build());
    try {
      codec.decode(traced);
      assertThat(codec.traceparentLength()).isEqualTo(55);
      codec.decode(untraced);
      assertThat(codec.traceparentLength()).isZero();
    } finally {
      traced.release();
      untraced.release();
    }
  }

  @Test
  void theCodecWritesTheTraceparentAsProtobufDoes() {
    byte[] traceparent = VALID.getBytes(StandardCharsets.US_ASCII);
    ByteBuf out = Unpooled.buffer();
    try {
      RequestHeaderCodec.writeFramePrefix(
          out, RequestHeaderCodec.KIND_SUBMIT, 3, ProtoWire.utf8("echo"), false, ProtoWire.EMPTY,
          RequestHeaderCodec.PRIORITY_NORMAL, 0, traceparent, 0);
      ProtobufFrames.Parsed<RequestHeader> parsed =
          ProtobufFrames.parse(io.netty.buffer.ByteBufUtil.getBytes(out), RequestHeader.getDefaultInstance());
      assertThat(parsed.header().getTraceparent()).isEqualTo(VALID);
    } finally {
      out.release();
    }
  }

  private static RequestHeaderCodec decode(RequestHeader header) {
    ByteBuf frame = frame(header);
    try {
      RequestHeaderCodec codec = new RequestHeaderCodec();
      codec.decode(frame);
      return codec;
    } finally {
      frame.release();
    }
  }

  /** The frame after its outer length, as the master's frame decoder hands it on. */
  private static ByteBuf frame(RequestHeader header) {
    ByteBuf buf = Unpooled.wrappedBuffer(ProtobufFrames.frame(header, new byte[] {1, 2}));
    ProtoWire.readVarint32(buf);
    return buf;
  }
}
