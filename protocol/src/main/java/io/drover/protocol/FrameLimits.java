package io.drover.protocol;

/** Size limits that every Drover endpoint applies to the frames it reads. */
public final class FrameLimits {
  /** Default largest frame (the bytes after the length prefix) a peer accepts: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /**
   * Largest maximum frame size that can be configured: 1 GiB. A frame's length prefix (at most 5
   * bytes) plus its bytes, and a frame plus its header room, must still fit in an {@code int}.
   */
  public static final int MAX_MAX_FRAME_BYTES = 1 << 30;

  /**
   * Room kept in a frame for its header when a body fills the rest: a result, or a job's gathered
   * results, may take at most the maximum frame size less this, so that the master's response
   * (a {@code ResponseHeader} with a message of at most {@link #MAX_MESSAGE_CHARS} characters, and
   * the body) still fits in a frame of the same maximum.
   */
  public static final int HEADER_HEADROOM_BYTES = 4096;

  /**
   * Smallest maximum frame size a master or worker accepts: twice the header room, so that a
   * result may be at least as large as the room kept for its header.
   */
  public static final int MIN_MAX_FRAME_BYTES = 2 * HEADER_HEADROOM_BYTES;

  /**
   * Longest status message, in characters, that fits in {@link #HEADER_HEADROOM_BYTES} with the
   * rest of a header (at most 3 UTF-8 bytes per character); longer messages are cut.
   */
  public static final int MAX_MESSAGE_CHARS = 1024;

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
   * Checks the maximum frame size of a frame decoder.
   *
   * @return {@code maxFrameBytes}
   * @throws IllegalArgumentException when it is not positive or above {@link #MAX_MAX_FRAME_BYTES}
   */
  public static int checkMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
    }
    return checkAtMostMax(maxFrameBytes);
  }

  /**
   * Checks the maximum frame size of a master or worker, which must also leave room for a result
   * beside {@link #HEADER_HEADROOM_BYTES}.
   *
   * @return {@code maxFrameBytes}
   * @throws IllegalArgumentException when it is below {@link #MIN_MAX_FRAME_BYTES} or above
   *     {@link #MAX_MAX_FRAME_BYTES}
   */
  public static int checkServingMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < MIN_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes: " + maxFrameBytes + " (expected: >= " + MIN_MAX_FRAME_BYTES + ")");
    }
    return checkAtMostMax(maxFrameBytes);
  }

  private static int checkAtMostMax(int maxFrameBytes) {
    if (maxFrameBytes > MAX_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes: " + maxFrameBytes + " (expected: <= " + MAX_MAX_FRAME_BYTES + ")");
    }
    return maxFrameBytes;
  }

  /**
   * The largest result body that a peer whose maximum frame is {@code maxFrameBytes} may send: the
   * frame less {@link #HEADER_HEADROOM_BYTES}.
   */
  public static int maxResultBytes(int maxFrameBytes) {
    return maxFrameBytes - HEADER_HEADROOM_BYTES;
  }

  /**
   * The message of a {@code RESULT_TOO_LARGE} answer: the result's size and the limit it broke.
   *
   * @param taskType the task type whose handler returned the result
   * @param resultBytes the result's size
   * @param maxFrameBytes the maximum frame of the peer that would have sent it
   */
  public static String resultTooLargeMessage(String taskType, int resultBytes, int maxFrameBytes) {
    return "the result of '" + taskType + "' is " + resultBytes + " bytes, larger than the "
        + maxResultBytes(maxFrameBytes) + " bytes a result may have (the maximum frame of "
        + maxFrameBytes + " bytes less " + HEADER_HEADROOM_BYTES + " for headers)";
  }

  /**
   * The message of a {@code FRAME_TOO_LARGE} refusal: the frame's size, the largest frame accepted,
   * and the setting that would accept it (or that none would, past {@link #MAX_MAX_FRAME_BYTES}).
   * For example: {@code frame of 20000000 bytes (19.1 MiB) exceeds the maximum frame of 16 MiB
   * (16777216 bytes); the master's --max-frame-bytes (at most 1 GiB) can raise it}.
   *
   * @param what what was too large: "frame", "request", ...
   * @param frameBytes its size
   * @param maxFrameBytes the largest accepted
   * @param setting the setting that raises the maximum, as the reader would set it
   */
  public static String frameTooLargeMessage(String what, long frameBytes, int maxFrameBytes, String setting) {
    String tooLarge =
        what + " of " + frameBytes + " bytes (" + HumanUnits.bytes(frameBytes) + ") exceeds the maximum frame of "
            + HumanUnits.bytesExactly(maxFrameBytes);
    if (frameBytes > MAX_MAX_FRAME_BYTES) {
      return tooLarge + ", and " + setting + " can raise it to at most " + HumanUnits.bytesExactly(MAX_MAX_FRAME_BYTES);
    }
    return tooLarge + "; " + setting + " (at most " + HumanUnits.bytes(MAX_MAX_FRAME_BYTES) + ") can raise it";
  }

  /**
   * {@code message} cut to {@link #MAX_MESSAGE_CHARS} characters (and "..."), so that a status
   * message of any length fits in {@link #HEADER_HEADROOM_BYTES}; {@code null} stays {@code null}.
   */
  public static String shortenMessage(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end = MAX_MESSAGE_CHARS;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return message.substring(0, end) + "...";
  }
}
