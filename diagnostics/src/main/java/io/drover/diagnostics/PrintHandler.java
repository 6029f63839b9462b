package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Task type {@code "print"}: prints its payload (UTF-8) as one line on the worker's standard
 * output and answers {@code worker=<slot> pid=<pid>}, to watch a handler's output reach {@code
 * drover logs}.
 */
public final class PrintHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "print";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    System.out.println(new String(payload, StandardCharsets.UTF_8));
    System.out.flush();
    return WhoAmIHandler.whoAmI(context);
  }
}
