package io.drover.worker;

/** A worker could not start, typically because the master's socket cannot be reached. */
public final class WorkerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming the worker and the socket, and its cause. */
  public WorkerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
