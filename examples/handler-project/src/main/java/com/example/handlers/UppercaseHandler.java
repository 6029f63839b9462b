package com.example.handlers;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;

/** Task type {@code "upper"}: the payload, read as UTF-8 text, in upper case. */
public final class UppercaseHandler implements TaskHandler {
  @Override
  public String taskType() {
    return "upper";
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    return new String(payload, UTF_8).toUpperCase().getBytes(UTF_8);
  }
}
