package io.drover.protocol;

/** Size limits that every Drover endpoint applies to the frames it reads. */
public final class FrameLimits {
  /** Default largest frame (the bytes after the length prefix) a peer accepts: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** Largest task type name, in UTF-8 bytes. */
  public static final int MAX_TASK_TYPE_BYTES = 255;

  private FrameLimits() {}

  /**
   * What is wrong with a task type of {@code utf8Bytes} bytes, or null when its length is fine
   * (1 to {@value #MAX_TASK_TYPE_BYTES}): the one check every endpoint applies.
   */
  public static String taskTypeProblem(int utf8Bytes) {
    if (utf8Bytes == 0) {
      return "task_type is empty";
    }
    if (utf8Bytes > MAX_TASK_TYPE_BYTES) {
      return "task_type is " + utf8Bytes + " bytes (max " + MAX_TASK_TYPE_BYTES + ")";
    }
    return null;
  }

  /**
   * Checks a configured maximum frame size.
   *
   * @return {@code maxFrameBytes}
   * @throws IllegalArgumentException when it is not positive
   */
  public static int checkMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException(
          "maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
    }
    return maxFrameBytes;
  }
}
