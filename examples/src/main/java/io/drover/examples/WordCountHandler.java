package io.drover.examples;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Task type {@code "wordcount"}: the number of words (runs of non-whitespace) in the payload's
 * UTF-8 text, as decimal ASCII. The map half of the word-count job whose reduce half is {@link
 * SumHandler}.
 */
public final class WordCountHandler implements TaskHandler {
  /** The task type this handler serves. */
  public static final String TASK_TYPE = "wordcount";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    long words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c);
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
      i += Character.charCount(c);
    }
    return Long.toString(words).getBytes(StandardCharsets.US_ASCII);
  }

  /** Linear in the payload and never blocks, so it runs on the worker's I/O thread. */
  @Override
  public boolean isNonBlocking() {
    return true;
  }
}
