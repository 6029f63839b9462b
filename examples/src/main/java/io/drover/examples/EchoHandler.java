package io.drover.examples;

import io.drover.worker.ResultBuffer;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.ByteBuffer;

/**
 * Task type {@code "echo"}: returns the payload unchanged. Both forms: a payload that came in the
 * socket frame is returned as the same array; one in shared memory is copied straight into the
 * result buffer (in shared memory too when large), with no array in between.
 */
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

  @Override
  public void handle(TaskContext context, ByteBuffer payload, ResultBuffer result) {
    result.claim(payload.remaining()).put(payload);
  }

  /** Finishes in microseconds without blocking, so it runs on the worker's I/O thread. */
  @Override
  public boolean isNonBlocking() {
    return true;
  }
}
