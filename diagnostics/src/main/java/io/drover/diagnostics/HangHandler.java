package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.concurrent.locks.LockSupport;

/**
 * Task type {@code "hang"}: blocks its handler thread, as a handler stuck in I/O would, until the
 * task is cancelled or the thread interrupted; then fails the task.
 */
public final class HangHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "hang";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) throws InterruptedException {
    while (!context.isCancelled() && !Thread.currentThread().isInterrupted()) {
      LockSupport.park(this);
    }
    throw new InterruptedException("hang: task " + context.taskId() + " cancelled");
  }
}
