package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.Arrays;

/**
 * Task type {@code "crash"}: halts the worker JVM at once when the payload is exactly {@code
 * halt} (to the master it looks like a segfault or an OOM kill in the middle of a task); echoes
 * any other payload.
 */
public final class CrashHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "crash";
  /** The exit status the worker dies with. */
  public static final int EXIT_STATUS = 99;

  private static final byte[] HALT = {'h', 'a', 'l', 't'};

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    if (Arrays.equals(payload, HALT)) {
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
    return payload;
  }
}
