package io.drover.client;

/**
 * The master refused the client's token ({@link TaskStatus#UNAUTHENTICATED}), or requires one
 * and the client sent none: raised by {@link DroverClientBuilder#build()}. The client does not
 * reconnect after it: the same token would be refused again.
 */
public class DroverAuthenticationException extends DroverConnectionException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public DroverAuthenticationException(String message) {
    super(message);
  }
}
