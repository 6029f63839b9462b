package io.drover.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FrameDecoder} in a channel pipeline; every buffer handed to it must end released. */
class FrameDecoderTest {
  private final List<ByteBuf> written = new ArrayList<>();
  private EmbeddedChannel channel;

  @AfterEach
  void everyBufferIsReleased() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
    for (ByteBuf buf : written) {
      assertThat(buf.refCnt()).as("refCnt of an input buffer").isZero();
    }
  }

  private EmbeddedChannel channel(int maxFrameBytes) {
    channel = new EmbeddedChannel(new FrameDecoder(maxFrameBytes));
    return channel;
  }

  private ByteBuf bytes(String hex) {
    return bytes(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  private ByteBuf bytes(byte[] bytes) {
    ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    written.add(buf);
    return buf;
  }

  /** Reads the next frame, returns its bytes as hex and releases it. */
  private String nextFrame() {
    ByteBuf frame = channel.readInbound();
    assertThat(frame).as("a decoded frame").isNotNull();
    try {
      return ByteBufUtil.hexDump(frame);
    } finally {
      frame.release();
    }
  }

  private static byte[] frame(int length) {
    byte[] prefix = varint32(length);
    byte[] frame = new byte[prefix.length + length];
    System.arraycopy(prefix, 0, frame, 0, prefix.length);
    for (int i = 0; i < length; i++) {
      frame[prefix.length + i] = (byte) i;
    }
    return frame;
  }

  private static byte[] varint32(int value) {
    ByteBuf buf = Unpooled.buffer();
    try {
      io.drover.protocol.wire.ProtoWire.writeVarint32(buf, value);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void emitsASingleFrameWithoutItsPrefix() {
    channel(1024).writeInbound(bytes("03 aabbcc"));
    assertThat(nextFrame()).isEqualTo("aabbcc");
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void emitsEveryFrameOfOneBuffer() {
    channel(1024).writeInbound(bytes("01 aa 00 02 bbcc 03 ddeeff"));
    assertThat(nextFrame()).isEqualTo("aa");
    assertThat(nextFrame()).isEqualTo("");
    assertThat(nextFrame()).isEqualTo("bbcc");
    assertThat(nextFrame()).isEqualTo("ddeeff");
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void reassemblesAFrameArrivingOneByteAtATime() {
    byte[] frame = frame(300); // two-byte prefix ac 02
    channel(1024);
    for (int i = 0; i < frame.length; i++) {
      channel.writeInbound(bytes(new byte[] {frame[i]}));
      if (i < frame.length - 1) {
        assertThat((Object) channel.readInbound()).as("after byte %d", i).isNull();
      }
    }
    assertThat(nextFrame()).isEqualTo(HexFormat.of().formatHex(frame, 2, frame.length));
  }

  @Test
  void emitsAnEmptyFrameForLengthZero() {
    channel(1).writeInbound(bytes("00"));
    assertThat(nextFrame()).isEmpty();
  }

  @Test
  void acceptsAFrameOfExactlyTheMaximum() {
    channel(300).writeInbound(bytes(frame(300)));
    ByteBuf frame = channel.readInbound();
    try {
      assertThat(frame.readableBytes()).isEqualTo(300);
    } finally {
      frame.release();
    }
  }

  @Test
  void refusesAFrameOneByteOverTheMaximumFromItsPrefixAlone() {
    channel(300);
    assertThatThrownBy(() -> channel.writeInbound(bytes("ad 02"))) // 301, no frame bytes yet
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("301")
        .satisfies(
            e -> {
              FrameTooLargeException tooLarge = (FrameTooLargeException) e;
              assertThat(tooLarge.frameBytes()).isEqualTo(301);
              assertThat(tooLarge.maxFrameBytes()).isEqualTo(300);
            });
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void refusesTheDefaultMaximumPlusOne() {
    channel(io.drover.protocol.FrameLimits.DEFAULT_MAX_FRAME_BYTES);
    assertThatThrownBy(() -> channel.writeInbound(bytes(varint32((16 << 20) + 1))))
        .isInstanceOf(FrameTooLargeException.class);
  }

  @Test
  void refusesALengthOfTwoGibibytesOrMoreAsTooLarge() {
    channel(io.drover.protocol.FrameLimits.MAX_MAX_FRAME_BYTES);
    assertThatThrownBy(() -> channel.writeInbound(bytes("80 80 80 80 08"))) // 2^31
        .isInstanceOf(FrameTooLargeException.class);
  }

  @Test
  void refusesASixBytePrefix() {
    channel(1024);
    assertThatThrownBy(() -> channel.writeInbound(bytes("80 80 80 80 80 00")))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void refusesAFiveBytePrefixWithAContinuationBitWithoutWaitingForASixthByte() {
    channel(1024);
    assertThatThrownBy(() -> channel.writeInbound(bytes("ff ff ff ff ff")))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void refusesAFiveBytePrefixOverflowingThirtyTwoBits() {
    channel(io.drover.protocol.FrameLimits.MAX_MAX_FRAME_BYTES);
    assertThatThrownBy(() -> channel.writeInbound(bytes("80 80 80 80 10"))) // 2^32
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("32 bits");
  }

  @Test
  void waitsForAnIncompletePrefix() {
    channel(1 << 20).writeInbound(bytes("80 80"));
    assertThat((Object) channel.readInbound()).isNull();
    channel.writeInbound(bytes("00 01 7f")); // 80 80 00 = non-minimal 0, then frame "7f"
    assertThat(nextFrame()).isEmpty();
    assertThat(nextFrame()).isEqualTo("7f");
  }

  @Test
  void emitsTheFramesBeforeAnErrorThenDiscardsEverythingAfterIt() {
    channel(4);
    assertThatThrownBy(() -> channel.writeInbound(bytes("01 aa 05 0102030405 01 bb")))
        .isInstanceOf(FrameTooLargeException.class);
    assertThat(nextFrame()).isEqualTo("aa");
    assertThat((Object) channel.readInbound()).isNull();

    channel.writeInbound(bytes("01 cc 02 dddd"));
    channel.writeInbound(bytes("00"));
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void discardsEverythingAfterAMalformedPrefix() {
    channel(1024);
    assertThatThrownBy(() -> channel.writeInbound(bytes("ff ff ff ff ff ff 01 aa")))
        .isInstanceOf(MalformedFrameException.class);
    channel.writeInbound(bytes("01 bb"));
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void framesOutliveTheirInputUntilReleased() {
    channel(16).writeInbound(bytes("02 aabb 01 cc"));
    ByteBuf first = channel.readInbound();
    ByteBuf second = channel.readInbound();
    assertThat(written.get(0).refCnt()).isPositive();
    first.release();
    second.release();
    assertThat(written.get(0).refCnt()).isZero();
  }

  @Test
  void dropsAPartialFrameWhenTheChannelCloses() {
    channel(16).writeInbound(bytes("05 aabb"));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void refusesANonPositiveMaximum() {
    assertThatThrownBy(() -> new FrameDecoder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes: 0 (expected: > 0)");
  }

  @Test
  void refusesAMaximumAboveOneGibibyteWhereThePrefixPlusTheFrameWouldOverflowAnInt() {
    assertThatThrownBy(() -> new FrameDecoder(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes: 2147483647 (expected: <= 1073741824)");
  }

  @Test
  void refusesTheLargestMaximumPlusOne() {
    channel(io.drover.protocol.FrameLimits.MAX_MAX_FRAME_BYTES);
    assertThatThrownBy(() -> channel.writeInbound(bytes(varint32((1 << 30) + 1))))
        .isInstanceOf(FrameTooLargeException.class);
  }
}
