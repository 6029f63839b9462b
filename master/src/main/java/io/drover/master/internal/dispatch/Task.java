package io.drover.master.internal.dispatch;

import io.drover.protocol.wire.ProtoWire;
import io.netty.buffer.ByteBuf;

/** One accepted task, from its client's request until its result is sent back. */
final class Task {
  final long id;
  final ClientSession client;
  final long requestId;
  final TaskType type;
  /**
   * The client's frame, reader index at the payload (or, once queued, a compact copy of the
   * payload: see {@link Admission#queued}); released when the task completes.
   */
  ByteBuf payload;
  /** Dispatches so far. */
  int attempts;
  /** The client asked that the task never run twice. */
  boolean noRetry;
  /**
   * {@link WaitingTasks#NORMAL}, {@link WaitingTasks#HIGH} or {@link WaitingTasks#LOW}; a byte so
   * that the object stays small with the job fields (ForwardingAllocationBenchmark measures it).
   */
  byte priority;
  /** Hash of the task's routing key, 0 when it has none. */
  long routingHash;
  /**
   * When it was last sent to a worker ({@link System#nanoTime}, exact for a worker whose service
   * time is measured, else the loop turn's reading); before its first dispatch, when it was
   * accepted (the start of its queue wait).
   */
  long sentAtNanos;
  /** The client got its answer early (deadline passed, cancelled); the result will be dropped. */
  boolean answered;
  /**
   * Gone from every queue and worker, its payload released; nothing may touch it any more (a
   * released payload may already belong to another task, so its reference count cannot say).
   */
  boolean completed;
  /** The worker holding it, or null while it waits in the master. */
  WorkerSession worker;
  /** The job this task is a subtask (or the reduce step) of; null for a task of its own. */
  JobGather job;
  /** Its index among the job's subtasks, or {@link JobGather#REDUCE}. */
  int jobIndex;
  /**
   * What only some tasks have (a deadline, a traceparent); null for a task with neither, so that
   * the common task stays at 80 bytes (ForwardingAllocationBenchmark measures it).
   */
  TaskExtras extras;

  Task(long id, ClientSession client, long requestId, TaskType type, ByteBuf payload) {
    this.id = id;
    this.client = client;
    this.requestId = requestId;
    this.type = type;
    this.payload = payload;
  }

  /** This task's extras, made on first use. */
  TaskExtras extras() {
    TaskExtras e = extras;
    if (e == null) {
      e = new TaskExtras();
      extras = e;
    }
    return e;
  }

  /** The client's traceparent; {@link ProtoWire#EMPTY} when the task has none. */
  byte[] traceparent() {
    TaskExtras e = extras;
    return e == null ? ProtoWire.EMPTY : e.traceparent;
  }
}
