package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.frame.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every codec refuses a broken header with {@link MalformedFrameException} and nothing else, and
 * leaves the frame's writer index as it was. Each case is the frame's bytes after the outer length.
 */
class MalformedHeaderTest {
  static Stream<Arguments> cases() {
    String[][] frames = {
      {"empty frame", ""},
      {"truncated header length", "80"},
      {"header length larger than the frame", "05 0801"},
      {"header length 2^32-1", "ffffffff0f 00"},
      {"truncated tag", "01 80"},
      {"truncated varint value", "02 10 80 6869"},
      {"varint value of 11 bytes", "0c 10 ffffffffffffffffffff01"},
      {"length-delimited field past the header, inside the body", "04 1a05 6563 686f6869"},
      {"length-delimited field past the frame", "02 1a05"},
      {"unknown length-delimited field past the header", "02 2a7f 00"},
      {"wire type 3 (start group)", "02 2b00"},
      {"wire type 4 (end group)", "01 2c"},
      {"wire type 6", "02 2e00"},
      {"wire type 7", "02 2f00"},
      {"wire type 3 on a known field number", "01 0b"},
      {"field number 0, varint", "02 0001"},
      {"field number 0, length-delimited", "02 0200"},
      {"field number 0 after a valid field", "04 1001 0001"},
      {"truncated fixed64", "05 29 01020304 05"},
      {"truncated fixed32", "03 2d 0102 0304"},
    };
    return HeaderCodecs.all().stream()
        .flatMap(
            codec ->
                Stream.of(frames)
                    .map(c -> Arguments.of(codec.name(), c[0], c[1].replace(" ", ""), codec)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void refusesWithMalformedFrame(
      String codecName, String description, String hex, HeaderCodecAdapter<?> codec) {
    ByteBuf frame = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    try {
      int writerIndex = frame.writerIndex();
      assertThatThrownBy(() -> codec.decodeOnly(frame))
          .isExactlyInstanceOf(MalformedFrameException.class);
      assertThat(frame.writerIndex()).isEqualTo(writerIndex);
    } finally {
      frame.release();
    }
  }
}
