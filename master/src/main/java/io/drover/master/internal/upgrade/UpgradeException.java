package io.drover.master.internal.upgrade;

/** Why an upgrade did not happen; the master that was asked serves on unchanged. */
public final class UpgradeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal, for the admin endpoint's status code. */
  public enum Kind {
    /** The request was wrong (no such jar): 400. */
    BAD_REQUEST,
    /** Not now or not here (one in progress, no epoll, not started with -jar): 409. */
    CONFLICT,
    /** The new master was started and failed, or was not ready in time: 500. */
    FAILED
  }

  private final Kind kind;

  /** A refusal of {@code kind}, saying why. */
  public UpgradeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** What kind of refusal this is. */
  public Kind kind() {
    return kind;
  }
}
