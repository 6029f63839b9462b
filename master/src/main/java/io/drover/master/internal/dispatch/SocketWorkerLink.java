package io.drover.master.internal.dispatch;

import io.drover.master.internal.transport.OutboundBatch;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.netty.buffer.ByteBuf;

/** Writes WorkerCommandHeader frames to a worker's socket through its {@link OutboundBatch}. */
final class SocketWorkerLink implements WorkerLink {
  /**
   * Most bytes the frame takes besides the task type, traceparent and body: two length prefixes (5
   * each) and the header's other fields (kind 2, task_id 11, task_type tag and length 3, attempt 6,
   * traceparent tag and length 2). Reserving this bound spares computing the exact size twice per
   * task.
   */
  private static final int MAX_PREFIX_BYTES = 34;

  private final OutboundBatch out;

  SocketWorkerLink(OutboundBatch out) {
    this.out = out;
  }

  @Override
  public void sendTask(
      long taskId, String taskType, byte[] taskTypeUtf8, int attempt, byte[] traceparent, ByteBuf payload) {
    int bodyBytes = payload.readableBytes();
    int copied = bodyBytes < OutboundBatch.COPY_THRESHOLD ? bodyBytes : 0;
    int kind = WorkerCommandCodec.KIND_TASK;
    ByteBuf b = out.reserve(MAX_PREFIX_BYTES + taskTypeUtf8.length + traceparent.length + copied);
    if (traceparent.length == 0) {
      WorkerCommandCodec.writeFramePrefix(b, kind, taskId, taskTypeUtf8, attempt, bodyBytes);
    } else {
      WorkerCommandCodec.writeFramePrefix(b, kind, taskId, taskTypeUtf8, attempt, traceparent, bodyBytes);
    }
    out.appendBody(payload);
  }

  @Override
  public void sendSharedTask(
      long taskId, byte[] taskTypeUtf8, int attempt, byte[] traceparent, long regionOffset, int regionLength) {
    // Two varint fields more than a task frame (11 + 6 bytes at most), no body.
    ByteBuf b = out.reserve(MAX_PREFIX_BYTES + 17 + taskTypeUtf8.length + traceparent.length);
    WorkerCommandCodec.writeRegionTaskFrame(b, taskId, taskTypeUtf8, attempt, traceparent, regionOffset, regionLength);
  }

  @Override
  public void sendMapRegion(byte[] offer) {
    int kind = WorkerCommandCodec.KIND_MAP_REGION;
    int size = WorkerCommandCodec.frameSize(kind, 0, ProtoWire.EMPTY, 0, offer.length);
    ByteBuf b = out.reserve(size);
    WorkerCommandCodec.writeFramePrefix(b, kind, 0, ProtoWire.EMPTY, 0, offer.length);
    b.writeBytes(offer);
  }

  @Override
  public void sendRelease(long regionOffset, int regionLength) {
    // Two length prefixes and three varint fields: 2 + 2 + 11 + 6 bytes at most.
    WorkerCommandCodec.writeReleaseFrame(out.reserve(21), regionOffset, regionLength);
  }

  @Override
  public void sendCancel(long taskId) {
    int kind = WorkerCommandCodec.KIND_CANCEL;
    int size = WorkerCommandCodec.frameSize(kind, taskId, ProtoWire.EMPTY, 0, 0);
    WorkerCommandCodec.writeFramePrefix(out.reserve(size), kind, taskId, ProtoWire.EMPTY, 0, 0);
  }

  @Override
  public void close() {
    out.channel().close();
  }

  @Override
  public void sendDrain() {
    int kind = WorkerCommandCodec.KIND_DRAIN;
    int size = WorkerCommandCodec.frameSize(kind, 0, ProtoWire.EMPTY, 0, 0);
    WorkerCommandCodec.writeFramePrefix(out.reserve(size), kind, 0, ProtoWire.EMPTY, 0, 0);
  }
}
