package io.drover.master.dispatch;

import io.drover.master.transport.OutboundBatch;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.netty.buffer.ByteBuf;

/** Writes WorkerCommandHeader frames to a worker's socket through its {@link OutboundBatch}. */
final class SocketWorkerLink implements WorkerLink {
  private final OutboundBatch out;

  SocketWorkerLink(OutboundBatch out) {
    this.out = out;
  }

  @Override
  public void sendTask(long taskId, String taskType, byte[] taskTypeUtf8, int attempt, ByteBuf payload) {
    int bodyBytes = payload.readableBytes();
    int copied = bodyBytes < OutboundBatch.COPY_THRESHOLD ? bodyBytes : 0;
    int kind = WorkerCommandCodec.KIND_TASK;
    int prefix = WorkerCommandCodec.frameSize(kind, taskId, taskTypeUtf8, attempt, bodyBytes) - bodyBytes;
    ByteBuf b = out.reserve(prefix + copied);
    WorkerCommandCodec.writeFramePrefix(b, kind, taskId, taskTypeUtf8, attempt, bodyBytes);
    out.appendBody(payload);
  }

  @Override
  public void sendDrain() {
    int kind = WorkerCommandCodec.KIND_DRAIN;
    int size = WorkerCommandCodec.frameSize(kind, 0, ProtoWire.EMPTY, 0, 0);
    WorkerCommandCodec.writeFramePrefix(out.reserve(size), kind, 0, ProtoWire.EMPTY, 0, 0);
  }
}
