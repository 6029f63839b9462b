package io.drover.master.config;

import io.drover.protocol.HumanUnits;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits on the client port's connections, against clients that hold connections or memory
 * without using them: how many connections in all and from one address, how long a connection
 * may sit idle or take to send one frame, how long a TLS handshake may take, and how much memory
 * the incomplete frames of all connections may hold together.
 *
 * @param maxConnections client connections open at once; one more is refused with OVERLOADED
 * @param maxConnectionsPerAddress client connections open at once from one remote address
 * @param idleTimeout how long a connection with nothing in flight and nothing received may stay
 *     open before it is sent a GOAWAY; {@link Duration#ZERO} for never
 * @param frameReadTimeout how long a connection may take from the first byte of a frame to its
 *     last before it is closed; {@link Duration#ZERO} for no limit
 * @param tlsHandshakeTimeout how long a TLS handshake may take (with TLS on)
 * @param authTimeout how long a connection to a master with tenants may take to authenticate (an
 *     AUTH frame, or a tenant's client certificate) before it is answered UNAUTHENTICATED and
 *     closed
 * @param maxPartialFrameBytes memory the incomplete frames of all client connections may hold
 *     together; at least the largest frame, so that one frame always fits
 */
public record ConnectionLimits(
    int maxConnections,
    int maxConnectionsPerAddress,
    Duration idleTimeout,
    Duration frameReadTimeout,
    Duration tlsHandshakeTimeout,
    Duration authTimeout,
    long maxPartialFrameBytes) {
  /** Default of {@link #maxConnections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** Default of {@link #maxConnectionsPerAddress}. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
  /** Default of {@link #idleTimeout}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
  /** Default of {@link #frameReadTimeout}. */
  public static final Duration DEFAULT_FRAME_READ_TIMEOUT = Duration.ofSeconds(30);
  /** Default of {@link #tlsHandshakeTimeout}: Netty's own. */
  public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  /** Default of {@link #authTimeout}: as NATS's, generous for a client across the world. */
  public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
  /** Default of {@link #maxPartialFrameBytes}, when the largest frame is smaller. */
  public static final long DEFAULT_MAX_PARTIAL_FRAME_BYTES = 256L << 20;
  /** The most connections a setting may ask for: more file descriptors than a process gets. */
  public static final int MAX_CONNECTIONS = 1 << 24;

  /** The defaults, for masters whose frames are at most {@code maxFrameBytes}. */
  public static ConnectionLimits defaults(int maxFrameBytes) {
    return new ConnectionLimits(
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_FRAME_READ_TIMEOUT,
        DEFAULT_TLS_HANDSHAKE_TIMEOUT,
        DEFAULT_AUTH_TIMEOUT,
        Math.max(DEFAULT_MAX_PARTIAL_FRAME_BYTES, maxFrameBytes));
  }

  /** Checks each limit; the message names the setting. */
  public ConnectionLimits {
    SettingChecks.checkRange("maxConnections", maxConnections, 1, MAX_CONNECTIONS);
    SettingChecks.checkRange("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, MAX_CONNECTIONS);
    checkTimeout("idleTimeout", idleTimeout);
    checkTimeout("frameReadTimeout", frameReadTimeout);
    SettingChecks.checkDuration("tlsHandshakeTimeout", tlsHandshakeTimeout);
    SettingChecks.checkDuration("authTimeout", authTimeout);
    SettingChecks.checkPositive("maxPartialFrameBytes", maxPartialFrameBytes, SettingChecks.MAX_BYTES);
  }

  /** Checks that the largest frame fits in the partial-frame memory, naming both settings. */
  void checkFrameFits(int maxFrameBytes) {
    if (maxPartialFrameBytes < maxFrameBytes) {
      throw new IllegalArgumentException(
          "maxPartialFrameBytes: " + HumanUnits.bytesExactly(maxPartialFrameBytes)
              + " (expected: at least maxFrameBytes, " + HumanUnits.bytesExactly(maxFrameBytes)
              + ", so that the largest frame fits)");
    }
  }

  private static void checkTimeout(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (!d.isZero()) {
      SettingChecks.checkDuration(name, d);
    }
  }
}
