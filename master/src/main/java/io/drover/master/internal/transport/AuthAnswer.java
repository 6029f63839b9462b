package io.drover.master.internal.transport;

/**
 * What the dispatcher makes of a connection's AUTH frame: accepted, with the tenant's name as the
 * message of the OK answer, or refused, with why as the message of the UNAUTHENTICATED answer
 * after which the connection is closed.
 *
 * @param accepted whether the connection may go on
 * @param message the tenant's name, or why it was refused (never the token)
 */
public record AuthAnswer(boolean accepted, String message) {
  /** Accepted as {@code tenant} ("" on a master without tenants). */
  public static AuthAnswer accepted(String tenant) {
    return new AuthAnswer(true, tenant);
  }

  /** Refused for {@code why}. */
  public static AuthAnswer refused(String why) {
    return new AuthAnswer(false, why);
  }
}
