package io.drover.client;

/** Base of every exception the Drover client raises; unchecked. */
public class DroverClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public DroverClientException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public DroverClientException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception that may skip capturing its stack trace, for failures reported by the
   * master where the client's stack says nothing useful.
   */
  protected DroverClientException(String message, boolean writableStackTrace) {
    super(message, null, false, writableStackTrace);
  }
}
