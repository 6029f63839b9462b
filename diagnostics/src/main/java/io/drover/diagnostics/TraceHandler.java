package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task type {@code "trace"}: logs one line while it runs (which carries the task's trace id in
 * the worker's log) and answers the traceparent its {@link TaskContext} holds, or {@code "none"}.
 */
public final class TraceHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "trace";

  private static final Logger log = LoggerFactory.getLogger(TraceHandler.class);

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    log.info("trace handler running task {}", context.taskId());
    return context.traceparent().orElse("none").getBytes(StandardCharsets.US_ASCII);
  }
}
