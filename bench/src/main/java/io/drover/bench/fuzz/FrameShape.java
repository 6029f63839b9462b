package io.drover.bench.fuzz;

/**
 * The kinds of frame the fuzzer sends, and what the master must do with each (PROTOCOL.md §6).
 */
public enum FrameShape {
  /** A valid SUBMIT of {@code echo}: answered OK with the payload (or OVERLOADED when full). */
  ECHO(Ending.NONE),
  /** A valid PING. */
  PING(Ending.NONE),
  /** A valid request of any kind with one to four bits flipped after its length prefix. */
  BIT_FLIPPED(Ending.NONE),
  /** A length prefix, then random bytes. */
  RANDOM_CONTENT(Ending.NONE),
  /** A header whose last varint is cut off (its continuation bit set, nothing after it). */
  TRUNCATED_VARINT(Ending.NONE),
  /** A header with fields of a wire type their number does not have (groups included). */
  WRONG_WIRE_TYPE(Ending.NONE),
  /** A valid SUBMIT with fields no version defines, which proto3 readers skip. */
  UNKNOWN_FIELDS(Ending.NONE),
  /** Strings past their limits: a 300-byte task type, a 10 KiB routing key, a bogus traceparent. */
  OVERSIZED_STRINGS(Ending.NONE),
  /** A JOB with an absurd number of subtasks, or a JobRequest that lies about its lengths. */
  ABSURD_JOB(Ending.NONE),
  /** A zero-length frame. */
  EMPTY(Ending.NONE),
  /** A CANCEL of a request nobody sent. */
  STRAY_CANCEL(Ending.NONE),
  /** A length prefix above the maximum frame size: FRAME_TOO_LARGE, then the close. */
  HUGE_LENGTH(Ending.MASTER_CLOSES),
  /** A length prefix longer than 5 bytes, or overflowing 32 bits: an error, then the close. */
  BAD_PREFIX(Ending.MASTER_CLOSES),
  /** Half a frame, then the client closes its end. */
  HALF_FRAME_THEN_CLOSE(Ending.CLIENT_CLOSES);

  /** How a connection goes on after a frame of this shape. */
  public enum Ending {
    /** The connection stays in sync and open. */
    NONE,
    /** The master answers with a connection-level error (request id 0) and closes. */
    MASTER_CLOSES,
    /** The fuzzer closes the connection itself. */
    CLIENT_CLOSES
  }

  private final Ending ending;

  FrameShape(Ending ending) {
    this.ending = ending;
  }

  /** How the connection goes on after this frame. */
  public Ending ending() {
    return ending;
  }
}
