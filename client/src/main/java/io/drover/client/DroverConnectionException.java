package io.drover.client;

/**
 * The connection to the master failed or was closed, so a task's outcome is unknown: it may or may
 * not have run. Raised by {@link DroverClientBuilder#build()} when the master cannot be reached and
 * used to fail tasks still in flight when the connection closes or the client is closed.
 */
public class DroverConnectionException extends DroverClientException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public DroverConnectionException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public DroverConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
