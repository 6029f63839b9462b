package io.drover.worker;

/** What a {@link TaskHandler} may know about the task it runs. */
public interface TaskContext {
  /** The master-assigned id of this task, unique within one master's lifetime. */
  long taskId();

  /** The task type the client asked for. */
  String taskType();

  /** 1 for the first run of this task, 2 for its first retry on another worker, and so on. */
  int attempt();

  /** The id of the worker slot running this task. */
  int workerId();

  /**
   * Whether the task has been cancelled (deadline passed, client cancelled, worker draining
   * forcibly). Long-running handlers should check it and give up early; the running thread is
   * also interrupted.
   */
  boolean isCancelled();
}
