package io.drover.examples;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;

/** Task type {@code "echo"}: returns the payload unchanged. */
public final class EchoHandler implements TaskHandler {
  /** The task type this handler serves. */
  public static final String TASK_TYPE = "echo";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    return payload;
  }

  /** Finishes in microseconds without blocking, so it runs on the worker's I/O thread. */
  @Override
  public boolean isNonBlocking() {
    return true;
  }
}
