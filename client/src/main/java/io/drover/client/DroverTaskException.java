package io.drover.client;

/**
 * A task failed with a status other than {@link TaskStatus#OK}: the master's answer (for example
 * {@link TaskStatus#HANDLER_ERROR}), a local timeout ({@link TaskStatus#DEADLINE_EXCEEDED}) or a
 * connection-level error the master reported before closing (for example {@link
 * TaskStatus#FRAME_TOO_LARGE}).
 *
 * <p>{@link #getMessage()} reads {@code "HANDLER_ERROR: boom"}; {@link #detail()} is the master's
 * message alone ({@code "boom"}).
 */
public final class DroverTaskException extends DroverClientException {
  private static final long serialVersionUID = 1L;

  private final TaskStatus status;
  private final String detail;
  private final int attempts;

  /**
   * Creates an exception.
   *
   * @param status the task's status, never {@link TaskStatus#OK}
   * @param detail the human-readable message, may be empty
   * @param attempts how many times the master dispatched the task to a worker (0 when it never did)
   */
  public DroverTaskException(TaskStatus status, String detail, int attempts) {
    super(status + (detail.isEmpty() ? "" : ": " + detail), false);
    this.status = status;
    this.detail = detail;
    this.attempts = attempts;
  }

  /** The task's status; {@link TaskStatus#UNRECOGNIZED} for a number this client does not know. */
  public TaskStatus status() {
    return status;
  }

  /** The message that came with the status, without the status name; may be empty. */
  public String detail() {
    return detail;
  }

  /** How many times the master dispatched the task to a worker (0 when it never did). */
  public int attempts() {
    return attempts;
  }
}
