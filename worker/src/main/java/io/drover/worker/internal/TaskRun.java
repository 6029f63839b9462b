package io.drover.worker.internal;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.WorkerEventCodec;
import io.drover.worker.ResultBuffer;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import io.drover.worker.internal.shm.ResultRegion;
import java.nio.ByteBuffer;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One task from its arrival to its result: the {@link Runnable} a pool thread runs, the {@link
 * TaskContext} its handler sees, and then the result waiting in the {@link ResultWriter}. One
 * object per task, so a task costs this, its payload and its result arrays.
 */
final class TaskRun implements Runnable, TaskContext, ResultBuffer {
  static final int OK = Status.OK.getNumber();
  static final int HANDLER_ERROR = Status.HANDLER_ERROR.getNumber();
  static final int CANCELLED = Status.CANCELLED.getNumber();
  static final int RESULT_TOO_LARGE = Status.RESULT_TOO_LARGE.getNumber();

  /** Results with bodies at least this large are written as their own wrapped buffer, not copied. */
  static final int LARGE_BODY_BYTES = 64 * 1024;

  private final long taskId;
  private final HandlerRegistry.Entry entry;
  private final int attempt;
  private final int workerId;
  private final ResultWriter writer;
  /** The client's traceparent, or null. */
  private final String traceparent;
  private byte[] payload;
  /** The payload in the master's shared region (read-only), or null when it came in the frame. */
  private ByteBuffer payloadView;
  /** What the handler claimed or set through {@link ResultBuffer}; null until it does. */
  private ByteBuffer claimed;
  private byte[] resultSet;
  /** Offset of the claimed block in the result region, or -1 when the result is not there. */
  private long regionOffset = -1;

  private volatile boolean cancelled;
  private volatile Thread runner;

  // Written by the pool thread before the task is queued, read by the event loop after.
  private int status;
  private byte[] message = ProtoWire.EMPTY;
  private byte[] body = ProtoWire.EMPTY;
  private int bodyLength;
  private int frameBytes;
  private int claimedCapacity;
  /** Where the result lies in the result region, or -1 when it is in {@link #body}. */
  private long inRegionOffset = -1;

  TaskRun(
      long taskId,
      HandlerRegistry.Entry entry,
      int attempt,
      int workerId,
      byte[] payload,
      ByteBuffer payloadView,
      String traceparent,
      ResultWriter writer) {
    this.payloadView = payloadView;
    this.taskId = taskId;
    this.traceparent = traceparent;
    this.entry = entry;
    this.attempt = attempt;
    this.workerId = workerId;
    this.payload = payload;
    this.writer = writer;
  }

  /** A task answered without running a handler (unknown type, worker draining). */
  static TaskRun answered(long taskId, int workerId, int status, String message) {
    TaskRun run = new TaskRun(taskId, null, 0, workerId, ProtoWire.EMPTY, null, null, null);
    run.complete(status, message, ProtoWire.EMPTY);
    return run;
  }

  @Override
  public void run() {
    if (traceparent == null) {
      runHandler();
      return;
    }
    // Traced tasks only: the untraced one runs the same method as before traceparents, whose
    // size (its finally block is copied for every way out) decides how well it inlines.
    TraceMdc.put(traceparent);
    try {
      runHandler();
    } finally {
      TraceMdc.clear();
    }
  }

  private void runHandler() {
    if (cancelled) {
      // Cancelled while it waited for a handler thread: do not start it.
      complete(CANCELLED, "cancelled before it started", ProtoWire.EMPTY);
      writer.enqueue(this);
      return;
    }
    runner = Thread.currentThread();
    try {
      TaskHandler handler = entry.handler();
      byte[] result;
      if (HandlerForms.takesBuffers(handler, payloadView != null)) {
        handler.handle(this, payloadView != null ? payloadView : ByteBuffer.wrap(payload).asReadOnlyBuffer(), this);
        if (regionOffset >= 0) {
          completeInRegion();
          writer.enqueue(this);
          return;
        }
        result = claimedResult();
      } else {
        result = handler.handle(this, payload != null ? payload : copy(payloadView));
      }
      if (result == null) {
        complete(HANDLER_ERROR, "handler for '" + entry.taskType() + "' returned null", ProtoWire.EMPTY);
      } else if (bodyLength(result) > FrameLimits.maxResultBytes(writer.maxFrameBytes())) {
        // Sent, it would exceed the master's frame limit and cost the connection, and with it
        // every task in flight on this worker: this task alone fails.
        complete(
            RESULT_TOO_LARGE,
            FrameLimits.resultTooLargeMessage(entry.taskType(), bodyLength(result), writer.maxFrameBytes()),
            ProtoWire.EMPTY);
      } else {
        complete(OK, null, result);
      }
    } catch (Throwable t) {
      String text = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
      complete(HANDLER_ERROR, text, ProtoWire.EMPTY);
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        writer.enqueue(this);
        throw (VirtualMachineError) t;
      }
    } finally {
      // The lock only orders this against cancel(), so an interrupt meant for this task never
      // reaches the next task this thread runs.
      synchronized (this) {
        runner = null;
      }
      Thread.interrupted();
    }
    writer.enqueue(this);
  }

  private static byte[] copy(ByteBuffer view) {
    byte[] bytes = new byte[view.remaining()];
    view.duplicate().get(bytes);
    return bytes;
  }

  /** The result the handler left in its {@link ResultBuffer}: an array whose first {@link #bodyLength} bytes count. */
  private byte[] claimedResult() {
    if (claimed != null) {
      // A heap buffer: its array from 0 to the position is the result, no copy.
      return claimed.array();
    }
    return resultSet != null ? resultSet : ProtoWire.EMPTY;
  }

  /** The result's length: the claimed buffer's position, or the whole array. */
  private int bodyLength(byte[] result) {
    return claimed != null && claimed.hasArray() && result == claimed.array() ? claimed.position() : result.length;
  }

  @Override
  public ByteBuffer claim(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
    }
    checkNoResultYet();
    ResultRegion region = writer.resultRegion();
    if (region != null && capacity >= region.thresholdBytes()) {
      long offset = region.allocate(capacity);
      if (offset >= 0) {
        regionOffset = offset;
        claimedCapacity = capacity;
        claimed = region.view(offset, capacity);
        return claimed;
      }
      // The region is full: the result goes through the socket, as without shared memory.
    }
    claimed = ByteBuffer.allocate(capacity);
    return claimed;
  }

  /** Answers with the result the handler wrote into its block of the result region. */
  private void completeInRegion() {
    int length = claimed.position();
    if (length > FrameLimits.maxResultBytes(writer.maxFrameBytes())) {
      complete(
          RESULT_TOO_LARGE,
          FrameLimits.resultTooLargeMessage(entry.taskType(), length, writer.maxFrameBytes()),
          ProtoWire.EMPTY);
      return;
    }
    ResultRegion region = writer.resultRegion();
    long offset = regionOffset;
    int capacity = claimedCapacity;
    regionOffset = -1;
    complete(OK, null, ProtoWire.EMPTY);
    region.trim(offset, capacity, length);
    if (length > 0) {
      inRegionOffset = offset;
      bodyLength = length;
      frameBytes = WorkerEventCodec.regionResultFrameSize(taskId, OK, message, offset, length);
    }
  }

  @Override
  public void set(byte[] bytes) {
    java.util.Objects.requireNonNull(bytes, "bytes");
    checkNoResultYet();
    resultSet = bytes;
  }

  private void checkNoResultYet() {
    if (claimed != null || resultSet != null) {
      throw new IllegalStateException("the result of task " + taskId + " was claimed or set already");
    }
  }

  private void complete(int status, String message, byte[] body) {
    if (regionOffset >= 0) {
      // Claimed in the region but not sent from there (an error): the block is free again.
      writer.resultRegion().trim(regionOffset, claimedCapacity, 0);
      regionOffset = -1;
    }
    this.bodyLength = bodyLength(body);
    this.payload = null;
    this.payloadView = null;
    this.claimed = null;
    this.resultSet = null;
    this.status = status;
    // An exception's message may be any length; cut, it always fits in the header's room.
    this.message = ProtoWire.utf8(FrameLimits.shortenMessage(message));
    this.body = body;
    this.frameBytes =
        WorkerEventCodec.frameSize(
            WorkerEventCodec.KIND_RESULT, taskId, status, this.message, bodyLength);
  }

  /** Marks the task cancelled and interrupts its thread if it is running. */
  void cancel() {
    cancelled = true;
    synchronized (this) {
      Thread t = runner;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  /** Whether a handler ran (or runs) this task, as opposed to an immediate answer. */
  boolean ranHandler() {
    return entry != null;
  }

  /** Bytes of the result frame copied into the batch buffer (all of it unless the body is large). */
  int bufferedBytes() {
    return isLargeBody() ? frameBytes - bodyLength() : frameBytes;
  }

  boolean isLargeBody() {
    return bodyLength() >= LARGE_BODY_BYTES;
  }

  /** Writes the frame's prefixes and header, which the body follows. */
  void writeFramePrefix(ByteBuf out) {
    if (inRegionOffset >= 0) {
      WorkerEventCodec.writeRegionResultFrame(out, taskId, status, message, inRegionOffset, bodyLength);
      return;
    }
    WorkerEventCodec.writeFramePrefix(
        out, WorkerEventCodec.KIND_RESULT, taskId, status, message, bodyLength);
  }

  /** The result's bytes: the first {@link #bodyLength} of this array. */
  byte[] body() {
    return body;
  }

  /** Bytes of the result in the frame itself: none when it lies in the result region. */
  int bodyLength() {
    return inRegionOffset >= 0 ? 0 : bodyLength;
  }

  @Override
  public long taskId() {
    return taskId;
  }

  @Override
  public String taskType() {
    return entry == null ? "" : entry.taskType();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public int workerId() {
    return workerId;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public Optional<String> traceparent() {
    return Optional.ofNullable(traceparent);
  }

  @Override
  public String toString() {
    return "TaskRun{id=" + taskId + ", type=" + taskType() + ", status=" + status
        + ", message=" + new String(message, StandardCharsets.UTF_8) + '}';
  }
}
