package io.drover.examples;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Task type {@code "sha256"}: the lower-case hex SHA-256 of the payload, as ASCII bytes. */
public final class Sha256Handler implements TaskHandler {
  /** The task type this handler serves. */
  public static final String TASK_TYPE = "sha256";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) throws NoSuchAlgorithmException {
    // MessageDigest is not thread-safe and cheap to create; a new one per task keeps this simple.
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload);
    return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
  }

  /** Finishes in microseconds without blocking, so it runs on the worker's I/O thread. */
  @Override
  public boolean isNonBlocking() {
    return true;
  }
}
