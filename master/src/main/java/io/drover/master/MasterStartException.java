package io.drover.master;

import java.io.IOException;

/**
 * The master could not start serving, for a reason its message states in one line: a worker
 * classpath entry that does not exist, is not a jar or lists no handler, or no worker that became
 * ready at start-up (with why the workers failed). Nothing the master started is left running.
 */
public final class MasterStartException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public MasterStartException(String message) {
    super(message);
  }
}
