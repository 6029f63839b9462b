package io.drover.master.internal.transport;

/**
 * The client port's connections at one moment, as {@link ClientConnections} counts them on their
 * loop: how many are open, how many were refused by which limit and closed by which timeout or
 * bound since the start. Immutable.
 *
 * @param open connections open now (counted against {@code max-connections})
 * @param refusedMaxConnections refused because {@code max-connections} were open
 * @param refusedMaxPerAddress refused because {@code max-connections-per-address} were open from
 *     the same address
 * @param closedIdle sent a GOAWAY after {@code idle-timeout} with nothing in flight or received
 * @param closedFrameReadTimeout closed because a frame took longer than {@code frame-read-timeout}
 * @param closedHandshakeTimeout closed because the TLS handshake took longer than {@code
 *     tls-handshake-timeout}
 * @param closedPartialFrameMemory closed because the incomplete frames of all connections held
 *     more than {@code max-partial-frame-mib}
 * @param partialFrameBytes memory the incomplete frames of all connections hold now
 */
public record ConnectionStats(
    int open,
    long refusedMaxConnections,
    long refusedMaxPerAddress,
    long closedIdle,
    long closedFrameReadTimeout,
    long closedHandshakeTimeout,
    long closedPartialFrameMemory,
    long partialFrameBytes) {
  /** No connection yet, nothing counted. */
  public static final ConnectionStats NONE = new ConnectionStats(0, 0, 0, 0, 0, 0, 0, 0);
}
