package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/** Task type {@code "whoami"}: answers {@code worker=<slot> pid=<pid>}, to see where tasks land. */
public final class WhoAmIHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "whoami";

  private static final long PID = ProcessHandle.current().pid();

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    return whoAmI(context);
  }

  /** {@code worker=<slot> pid=<pid>} of the worker running {@code context}'s task. */
  static byte[] whoAmI(TaskContext context) {
    return ("worker=" + context.workerId() + " pid=" + PID).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public boolean isNonBlocking() {
    return true;
  }
}
