package io.drover.examples;

import io.drover.worker.TaskContext;

/** A fixed {@link TaskContext} for calling handlers directly. */
record TestContext(String taskType) implements TaskContext {
  @Override
  public long taskId() {
    return 1;
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public int workerId() {
    return 0;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }
}
