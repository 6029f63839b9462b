package io.drover.master.dispatch;

import io.drover.master.schedule.Schedulable;
import io.drover.master.transport.OutboundBatch;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.collection.LongObjectHashMap;

/** The dispatcher's view of one worker connection: what it serves and what it holds. */
public final class WorkerSession implements Schedulable {
  final Channel channel;
  final OutboundBatch out;
  final long peerPid;
  final LongObjectHashMap<Task> inFlight = new LongObjectHashMap<>();
  int workerId = -1;
  long pid;
  int capacity = 1;
  int inFlightCap;
  TaskType[] types = new TaskType[0];
  boolean accepting;
  long completed;
  private int nextType;

  WorkerSession(Channel channel, OutboundBatch out, long peerPid) {
    this.channel = channel;
    this.out = out;
    this.peerPid = peerPid;
  }

  @Override
  public int outstanding() {
    return inFlight.size();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public int inFlightCap() {
    return inFlightCap;
  }

  @Override
  public boolean acceptsTasks() {
    return accepting;
  }

  boolean hasRoom() {
    return accepting && inFlight.size() < inFlightCap;
  }

  /** Writes {@code task} to this worker and records it as in flight here. */
  void send(Task task) {
    task.attempts++;
    ByteBuf payload = task.payload;
    int bodyBytes = payload.readableBytes();
    int copied = bodyBytes < OutboundBatch.COPY_THRESHOLD ? bodyBytes : 0;
    int prefix =
        WorkerCommandCodec.frameSize(
                WorkerCommandCodec.KIND_TASK, task.id, task.type.utf8, task.attempts, bodyBytes)
            - bodyBytes;
    ByteBuf b = out.reserve(prefix + copied);
    WorkerCommandCodec.writeFramePrefix(
        b, WorkerCommandCodec.KIND_TASK, task.id, task.type.utf8, task.attempts, bodyBytes);
    out.appendBody(payload);
    inFlight.put(task.id, task);
  }

  /** Asks the worker to finish what it holds and exit. */
  void sendDrain() {
    int size = WorkerCommandCodec.frameSize(WorkerCommandCodec.KIND_DRAIN, 0, new byte[0], 0, 0);
    WorkerCommandCodec.writeFramePrefix(
        out.reserve(size), WorkerCommandCodec.KIND_DRAIN, 0, new byte[0], 0, 0);
  }

  /** The next type with a waiting task, taking the types in turn so that none starves. */
  TaskType nextTypeWithWaiting() {
    TaskType[] t = types;
    for (int i = 0; i < t.length; i++) {
      TaskType type = t[(nextType + i) % t.length];
      if (!type.waiting.isEmpty()) {
        nextType = (nextType + i + 1) % t.length;
        return type;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "worker " + workerId + " (pid " + pid + ")";
  }
}
