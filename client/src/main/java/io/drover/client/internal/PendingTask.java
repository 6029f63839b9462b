package io.drover.client.internal;

import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One request from submission to answer: it is the future handed to the caller, carries the
 * payload until it is encoded, and is its own entry in its connection's timeouts (a linked list
 * through {@link #prevTimeout} and {@link #nextTimeout}), so a request costs one object.
 *
 * <p>Fields other than the payload's are touched only by the connection's event loop once the
 * task is queued. The payload belongs to whoever holds the task: the caller until it is queued,
 * then the single consumer of the connection's queue. A payload buffer is the client's own view
 * of the caller's bytes, so encoding it moves no position the caller sees.
 */
public abstract class PendingTask<T> extends CompletableFuture<T> {
  /**
   * The connection the task was last given to; changed on the event loop when the task moves to a
   * new connection (after a GOAWAY or a lost connection).
   */
  ClientConnection owner;
  final int kind;
  final byte[] taskType;
  /** Timeout, or 0 for none. */
  final long timeoutNanos;
  /**
   * {@link System#nanoTime()} at which the task times out, set when it is first written to a
   * connection ({@link #clockStarted}); meaningless when there is no timeout.
   */
  long deadlineNanos;
  /**
   * Whether the timeout's clock runs: from when the task was first written to a connection, not
   * while it waited in the client for room among the requests the master holds.
   */
  boolean clockStarted;

  private byte[] payloadArray;
  private ByteBuffer payloadBuffer;

  /** Request id on the wire; 0 until the event loop registers the task. */
  long id;
  /** The timeouts' lane the task is linked into, or {@code null}; see {@link TaskTimeouts}. */
  TaskTimeouts.Lane timeoutLane;
  PendingTask<?> prevTimeout;
  PendingTask<?> nextTimeout;
  /**
   * The message of the SHUTTING_DOWN a master answered after its GOAWAY, while the task waits to
   * be sent again; its failure if no master takes a new connection in time. Null otherwise.
   */
  String refusal;

  private boolean noRetry;
  private byte[] routingKey = io.drover.protocol.wire.ProtoWire.EMPTY;
  private int priority;
  private int deadlineMs;
  private byte[] traceparent = ProtoWire.EMPTY;

  PendingTask(
      ClientConnection owner,
      int kind,
      byte[] taskType,
      byte[] payloadArray,
      ByteBuffer payloadBuffer,
      long timeoutNanos) {
    this.owner = owner;
    this.kind = kind;
    this.taskType = taskType;
    this.payloadArray = payloadArray;
    this.payloadBuffer = payloadBuffer;
    this.timeoutNanos = timeoutNanos;
  }

  /** The connection the task is given to first. */
  public final ClientConnection owner() {
    return owner;
  }

  /**
   * Starts the timeout's clock, unless it runs already (a task sent again on a new connection
   * keeps the time it has left): the task is written at {@code nanoTime}.
   */
  final void startClock(long nanoTime) {
    if (!clockStarted) {
      clockStarted = true;
      deadlineNanos = nanoTime + timeoutNanos;
    }
  }

  /** Completes the task with the body of an OK answer (the frame's readable bytes). */
  abstract void succeed(ByteBuf body);

  /**
   * Handles a final answer whose status is not OK but which, for this kind of request, carries a
   * result (a job's JobResult); returns false to fail the task with the status instead.
   */
  boolean answer(int status, String message, ByteBuf body) {
    return false;
  }

  /** A streamed subtask result of a job (ResponseHeader.partial); other requests get none. */
  void partial(int index, int status, String message, int attempts, ByteBuf body) {}

  /** Bytes of the payload. */
  final int payloadBytes() {
    if (payloadArray != null) {
      return payloadArray.length;
    }
    return payloadBuffer == null ? 0 : payloadBuffer.remaining();
  }

  /**
   * Bytes of the frame after its length prefix, with the largest request id the task can get;
   * what a receiver compares against its maximum frame size.
   */
  final long frameBytesUpperBound() {
    int header = RequestHeaderCodec.headerSize(kind, Long.MAX_VALUE, taskType, noRetry, routingKey, priority, deadlineMs, traceparent);
    return (long) ProtoWire.varint32Size(header) + header + payloadBytes();
  }

  /** Whether the task has no option that changes its header beyond its kind, id and type. */
  final boolean plainHeader() {
    return !noRetry && routingKey.length == 0 && priority == 0 && deadlineMs == 0 && traceparent.length == 0;
  }

  /** Its header's fields after the request id, encoded; see {@link RequestHeaderCodec#fieldsAfterId}. */
  final byte[] encodeFieldsAfterId() {
    return RequestHeaderCodec.fieldsAfterId(taskType, noRetry, routingKey, priority, deadlineMs, traceparent);
  }

  /**
   * Bytes the whole frame takes once {@link #id} is set, with {@code fieldsAfterId} the header's
   * later fields.
   */
  final int frameSize(byte[] fieldsAfterId) {
    return RequestHeaderCodec.frameSizeWithFields(kind, id, fieldsAfterId, payloadBytes());
  }

  /**
   * Writes the whole frame into {@code out}, its header's later fields given encoded and its few
   * varints through {@code scratch}. The payload is kept (a reference, no copy) until the task
   * completes, so that it can be sent again on a new connection.
   */
  final void encode(ByteBuf out, byte[] scratch, byte[] fieldsAfterId) {
    RequestHeaderCodec.writeFramePrefix(out, scratch, kind, id, fieldsAfterId, payloadBytes());
    if (payloadArray != null) {
      out.writeBytes(payloadArray);
    } else if (payloadBuffer != null) {
      int position = payloadBuffer.position();
      out.writeBytes(payloadBuffer);
      payloadBuffer.position(position); // the client's own view: ready to be sent again
    }
  }

  /**
   * Whether the task may be sent again after the connection it was sent on was lost without
   * an answer (so it may have run): not a {@code no_retry} task.
   */
  boolean resendable() {
    return !noRetry;
  }

  /** Whether the task is marked {@code no_retry}. */
  final boolean noRetry() {
    return noRetry;
  }

  /** Marks the task not safe to run twice (RequestHeader.no_retry); call before it is sent. */
  public final void markNoRetry() {
    noRetry = true;
  }

  /** Sets the task's deadline in milliseconds after the master receives it; call before it is sent. */
  public final void deadlineMs(int ms) {
    deadlineMs = ms;
  }

  /** Sets the task's priority (the RequestHeader.Priority number); call before it is sent. */
  public final void priority(int wireValue) {
    priority = wireValue;
  }

  /** Sets the task's W3C traceparent (ASCII, already checked); call before it is sent. */
  public final void traceparent(byte[] value) {
    traceparent = value;
  }

  /** Whether the task has a traceparent. */
  public final boolean hasTraceparent() {
    return traceparent.length != 0;
  }

  /** Sets the task's routing key (UTF-8); call before it is sent. */
  public final void routingKey(byte[] key) {
    routingKey = key;
  }

  /** Lets go of the payload. Idempotent. */
  final void discardPayload() {
    payloadArray = null;
    payloadBuffer = null;
  }

  /** Stops watching the task's timeout, if it is watched. On the event loop. */
  final void cancelTimeout() {
    TaskTimeouts.remove(this);
  }

  /** Cancels the future and forgets the request; a late answer is then dropped. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      owner.cancelled(this);
    }
    return cancelled;
  }
}
