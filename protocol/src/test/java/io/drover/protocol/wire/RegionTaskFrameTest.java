package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.WorkerCommandHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A TASK whose payload lies in shared memory, as protobuf and {@link WorkerCommandCodec} read it. */
class RegionTaskFrameTest {
  @Test
  void regionFieldsRoundTripAndTheFrameHasNoBody() throws Exception {
    byte[] type = "echo".getBytes(StandardCharsets.UTF_8);
    ByteBuf frame = Unpooled.buffer();
    try {
      WorkerCommandCodec.writeRegionTaskFrame(frame, 77, type, 2, ProtoWire.EMPTY, 1L << 33, 1 << 20);
      int n = ProtoWire.readVarint32(frame);
      assertThat(frame.readableBytes()).isEqualTo(n);
      ByteBuf copy = frame.copy();
      WorkerCommandHeader h = WorkerCommandHeader.parseDelimitedFrom(new ByteBufInputStream(copy, true));
      assertThat(h.getTaskId()).isEqualTo(77);
      assertThat(h.getRegionOffset()).isEqualTo(1L << 33);
      assertThat(h.getRegionLength()).isEqualTo(1 << 20);
      WorkerCommandCodec codec = new WorkerCommandCodec();
      codec.decode(frame);
      assertThat(codec.regionOffset()).isEqualTo(1L << 33);
      assertThat(codec.regionLength()).isEqualTo(1 << 20);
      assertThat(codec.attempt()).isEqualTo(2);
      assertThat(frame.readableBytes()).isZero();
    } finally {
      frame.release();
    }
  }

  @Test
  void regionResultAndReleaseFramesRoundTrip() throws Exception {
    ByteBuf frame = Unpooled.buffer();
    try {
      byte[] message = "m".getBytes(StandardCharsets.UTF_8);
      WorkerEventCodec.writeRegionResultFrame(frame, 9, 0, message, 4096, 70_000);
      assertThat(frame.readableBytes()).isEqualTo(WorkerEventCodec.regionResultFrameSize(9, 0, message, 4096, 70_000));
      ProtoWire.readVarint32(frame);
      io.drover.protocol.proto.WorkerEventHeader h =
          io.drover.protocol.proto.WorkerEventHeader.parseDelimitedFrom(new ByteBufInputStream(frame.copy(), true));
      assertThat(h.getRegionOffset()).isEqualTo(4096);
      assertThat(h.getRegionLength()).isEqualTo(70_000);
      WorkerEventCodec events = new WorkerEventCodec();
      events.decode(frame);
      assertThat(events.regionOffset()).isEqualTo(4096);
      assertThat(events.regionLength()).isEqualTo(70_000);
      frame.clear();
      WorkerCommandCodec.writeReleaseFrame(frame, 8192, 65_536);
      ProtoWire.readVarint32(frame);
      WorkerCommandCodec commands = new WorkerCommandCodec();
      commands.decode(frame);
      assertThat(commands.kind()).isEqualTo(WorkerCommandCodec.KIND_RELEASE);
      assertThat(commands.regionOffset()).isEqualTo(8192);
      assertThat(commands.regionLength()).isEqualTo(65_536);
    } finally {
      frame.release();
    }
  }
}
