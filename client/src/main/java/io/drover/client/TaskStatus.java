package io.drover.client;

/**
 * The outcome of a task, a job or a subtask, as the master reports it: the wire's status numbers
 * (docs/PROTOCOL.md), as a client-side enum so that code compiled against the client does not
 * depend on Drover's generated protobuf classes.
 *
 * <p>A number this client does not know (from a newer master) is {@link #UNRECOGNIZED}; the
 * exception's or outcome's message then starts with {@code "status <number>"}.
 */
public enum TaskStatus {
  /** The task ran and its handler returned a result. */
  OK(0),
  /** No live worker serves the task type named in the request. */
  UNKNOWN_TASK_TYPE(1),
  /** The handler threw; the message carries the exception's message. */
  HANDLER_ERROR(2),
  /** The worker running the task died (and the task could not be retried). */
  WORKER_CRASHED(3),
  /** The task's deadline passed before it completed (or the client-side timeout did). */
  DEADLINE_EXCEEDED(4),
  /** The client cancelled the task. */
  CANCELLED(5),
  /** The master's queue is full; retry later. */
  OVERLOADED(6),
  /** The master is shutting down and accepts no new tasks. */
  SHUTTING_DOWN(7),
  /** A frame could not be decoded. */
  MALFORMED_FRAME(8),
  /** A frame was larger than the receiver's maximum frame size. */
  FRAME_TOO_LARGE(9),
  /** The request was well formed but is not acceptable (for example an empty task type). */
  INVALID_REQUEST(10),
  /** An unexpected failure inside Drover itself; the message says what. */
  INTERNAL(11),
  /** A job finished, but at least one of its subtasks (or its reduce task) did not return OK. */
  SUBTASK_FAILED(12),
  /** The handler's result was larger than a frame can carry; only this task failed. */
  RESULT_TOO_LARGE(13),
  /**
   * Connection level: the master takes no new requests on this connection (a GOAWAY). The client
   * moves to a new connection by itself; a task never fails with it.
   */
  GOING_AWAY(14),
  /**
   * Connection level: the master did not accept the client's token (or it sent none, or its
   * certificate names no tenant); the master closed the connection.
   */
  UNAUTHENTICATED(15),
  /** The client's tenant may not run this task type, or not at this priority. */
  PERMISSION_DENIED(16),
  /** A status number this client does not know; its {@link #wireNumber()} is -1. */
  UNRECOGNIZED(-1);

  private static final TaskStatus[] BY_NUMBER = byNumber();

  private final int wireNumber;

  TaskStatus(int wireNumber) {
    this.wireNumber = wireNumber;
  }

  /** The status's number on the wire; -1 for {@link #UNRECOGNIZED}. */
  public int wireNumber() {
    return wireNumber;
  }

  /** The status with wire number {@code number}, or {@link #UNRECOGNIZED}. */
  public static TaskStatus forNumber(int number) {
    return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNRECOGNIZED;
  }

  private static TaskStatus[] byNumber() {
    TaskStatus[] all = values();
    TaskStatus[] byNumber = new TaskStatus[all.length - 1];
    for (TaskStatus s : all) {
      if (s != UNRECOGNIZED) {
        byNumber[s.wireNumber] = s; // numbers are dense from 0, as in drover_status.proto
      }
    }
    return byNumber;
  }
}
