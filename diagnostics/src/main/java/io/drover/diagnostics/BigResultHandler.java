package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Task type {@code "big"}: answers a result of as many bytes as its payload says (decimal ASCII,
 * e.g. {@code "100000"}), all {@code 'x'}, to see what a result larger than a frame does.
 */
public final class BigResultHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "big";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    String text = new String(payload, StandardCharsets.US_ASCII).trim();
    int size;
    try {
      size = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("payload: '" + text + "' (expected: a size in bytes)", e);
    }
    if (size < 0) {
      throw new IllegalArgumentException("payload: " + size + " (expected: a size in bytes >= 0)");
    }
    byte[] result = new byte[size];
    Arrays.fill(result, (byte) 'x');
    return result;
  }
}
