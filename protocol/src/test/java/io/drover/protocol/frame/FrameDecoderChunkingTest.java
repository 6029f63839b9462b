package io.drover.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.wire.ProtoWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** However a stream of frames is cut into reads, {@link FrameDecoder} yields the same frames. */
class FrameDecoderChunkingTest {
  @Property(tries = 300)
  void yieldsTheSameFramesForAnyChunking(
      @ForAll @Size(max = 20) List<@Size(max = 300) byte[]> frames,
      @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 50) Integer> cuts) {
    ByteBuf stream = Unpooled.buffer();
    for (byte[] frame : frames) {
      ProtoWire.writeVarint32(stream, frame.length);
      stream.writeBytes(frame);
    }
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(300));
    List<ByteBuf> chunks = new ArrayList<>();
    try {
      int cut = 0;
      while (stream.isReadable()) {
        int n = Math.min(stream.readableBytes(), cuts.isEmpty() ? 7 : cuts.get(cut++ % cuts.size()));
        ByteBuf chunk = Unpooled.directBuffer(n).writeBytes(stream, n);
        chunks.add(chunk);
        channel.writeInbound(chunk);
      }
      for (byte[] expected : frames) {
        ByteBuf frame = channel.readInbound();
        try {
          assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(expected);
        } finally {
          frame.release();
        }
      }
      assertThat((Object) channel.readInbound()).isNull();
      assertThat(channel.finish()).isFalse();
      assertThat(chunks).allSatisfy(c -> assertThat(c.refCnt()).isZero());
    } finally {
      stream.release();
      channel.finishAndReleaseAll();
    }
  }
}
