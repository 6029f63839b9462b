package io.drover.examples;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Task type {@code "sleep"}: the payload is a decimal number of milliseconds as text; sleeps that
 * long (interruptibly, so a cancelled or drained task stops early) and returns the same text.
 * Useful for testing scheduling, deadlines and draining.
 */
public final class SleepHandler implements TaskHandler {
  /** The task type this handler serves. */
  public static final String TASK_TYPE = "sleep";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) throws InterruptedException {
    String text = new String(payload, StandardCharsets.UTF_8).trim();
    long millis;
    try {
      millis = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sleep: payload '" + text + "' is not a number of milliseconds");
    }
    if (millis < 0) {
      throw new IllegalArgumentException(
          "sleep: payload '" + text + "' is negative (expected: milliseconds >= 0)");
    }
    Thread.sleep(millis);
    return Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
  }
}
