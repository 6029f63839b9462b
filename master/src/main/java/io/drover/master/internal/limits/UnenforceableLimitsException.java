package io.drover.master.internal.limits;

/** Some worker limit cannot be enforced on this machine and best effort is not allowed; the message says which and why. */
public final class UnenforceableLimitsException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  UnenforceableLimitsException(String message) {
    super(message);
  }
}
