package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Task type {@code "spin"}: keeps a CPU core busy for the payload's number of milliseconds (or
 * until the task is cancelled), then answers how many loops it ran. For CPU limits: a worker
 * running several at once wants several cores.
 */
public final class SpinHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "spin";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    long millis = Long.parseLong(new String(payload, StandardCharsets.US_ASCII).trim());
    long end = System.nanoTime() + millis * 1_000_000;
    long loops = 0;
    while (System.nanoTime() - end < 0 && !context.isCancelled()) {
      loops++;
    }
    return Long.toString(loops).getBytes(StandardCharsets.US_ASCII);
  }
}
