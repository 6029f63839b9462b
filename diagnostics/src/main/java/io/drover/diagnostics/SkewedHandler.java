package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Task type {@code "skewed"}: makes the worker with instance index 0 ({@code
 * DROVER_WORKER_INDEX}) slow — 20 ms a task — and every other worker fast — 1 ms — to compare
 * schedulers with one slow worker in the pool. Answers {@code worker=<slot>}.
 */
public final class SkewedHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "skewed";

  private static final boolean SLOW = "0".equals(System.getenv("DROVER_WORKER_INDEX"));

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) throws InterruptedException {
    Thread.sleep(SLOW ? 20 : 1);
    return ("worker=" + context.workerId()).getBytes(StandardCharsets.US_ASCII);
  }
}
