package io.drover.client;

/**
 * The client already had {@link DroverClientBuilder#maxInFlight(int) maxInFlight} requests in
 * flight and none was answered in time to make room for another: within {@link
 * DroverClientBuilder#maxBlock maxBlock}, or at once when the caller was on one of the client's
 * event loop threads (a future's callback), which must never block. The request was not sent;
 * submitting it again later is safe.
 */
public final class DroverBackpressureException extends DroverClientException {
  private static final long serialVersionUID = 1L;

  private final int maxInFlight;

  /**
   * Creates an exception.
   *
   * @param maxInFlight the limit that was reached
   * @param message why the caller did not wait for room, or for how long it did
   */
  public DroverBackpressureException(int maxInFlight, String message) {
    // No stack trace: a saturated client may refuse many requests, and the message says it all.
    super(message, false);
    this.maxInFlight = maxInFlight;
  }

  /** The client's limit of requests in flight, which was reached. */
  public int maxInFlight() {
    return maxInFlight;
  }
}
