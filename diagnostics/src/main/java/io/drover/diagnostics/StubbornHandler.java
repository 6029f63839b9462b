package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.concurrent.locks.LockSupport;

/**
 * Task type {@code "stubborn"}: a handler that ignores cancellation and interrupts, as one stuck
 * in a loop or an uninterruptible call would. It parks for ever, waking only to park again, so
 * its thread holds one of the worker's slots until the process exits.
 */
public final class StubbornHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "stubborn";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    while (true) {
      LockSupport.park(this);
      Thread.interrupted(); // swallowed: that is the point
    }
  }
}
