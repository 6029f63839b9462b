package io.drover.client;

import static java.util.Objects.requireNonNull;

import io.drover.protocol.FrameLimits;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;

/**
 * Configures and connects a {@link DroverClient}. Obtain one with {@link DroverClient#builder()}.
 *
 * <pre>{@code
 * try (DroverClient client = DroverClient.builder()
 *     .host("10.0.0.5")
 *     .port(7070)
 *     .defaultTimeout(Duration.ofSeconds(5))
 *     .build()) {
 *   byte[] result = client.submit("echo", payload).join();
 * }
 * }</pre>
 *
 * <p>Not thread-safe; {@link #build()} may be called more than once, each call connecting a new
 * client.
 */
public final class DroverClientBuilder {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  String host = "127.0.0.1";
  int port = 7070;
  Duration defaultTimeout = DEFAULT_TIMEOUT;
  int maxFrameBytes = FrameLimits.DEFAULT_MAX_FRAME_BYTES;
  Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  int ioThreads = 1;
  EventLoopGroup eventLoopGroup;

  DroverClientBuilder() {}

  /** The master's host name or address; {@code 127.0.0.1} by default. */
  public DroverClientBuilder host(String host) {
    requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host: '' (expected: a host name or address)");
    }
    this.host = host;
    return this;
  }

  /** The master's client port; 7070 by default. */
  public DroverClientBuilder port(int port) {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    this.port = port;
    return this;
  }

  /**
   * How long a task may take, from submission to result, when {@link DroverClient#submit(String,
   * byte[])} is not given a timeout; 30 seconds by default. {@link Duration#ZERO} means no timeout,
   * which saves scheduling a timer per task.
   */
  public DroverClientBuilder defaultTimeout(Duration defaultTimeout) {
    requireNonNull(defaultTimeout, "defaultTimeout");
    if (defaultTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "defaultTimeout: " + defaultTimeout + " (expected: >= 0)");
    }
    this.defaultTimeout = defaultTimeout;
    return this;
  }

  /**
   * The largest frame the client reads, and sends: a task whose request would be larger fails at
   * once with {@code FRAME_TOO_LARGE}. Should match the master's limit; {@link
   * FrameLimits#DEFAULT_MAX_FRAME_BYTES} by default.
   */
  public DroverClientBuilder maxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = FrameLimits.checkMaxFrameBytes(maxFrameBytes);
    return this;
  }

  /** How long {@link #build()} waits for the TCP connection; 10 seconds by default. */
  public DroverClientBuilder connectTimeout(Duration connectTimeout) {
    requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || connectTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(
          "connectTimeout: " + connectTimeout + " (expected: > 0 and <= PT596H31M23.647S)");
    }
    this.connectTimeout = connectTimeout;
    return this;
  }

  /**
   * Threads of the event loop group the client creates for itself; 1 by default, which is all one
   * connection uses. Ignored when an {@link #eventLoopGroup(EventLoopGroup)} is given.
   */
  public DroverClientBuilder ioThreads(int ioThreads) {
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
    }
    this.ioThreads = ioThreads;
    return this;
  }

  /**
   * Runs the connection on an event loop of {@code group} instead of a group of the client's own.
   * The group must be an epoll or NIO {@code MultiThreadIoEventLoopGroup}; the client never shuts
   * it down. Sharing one group among many clients saves threads.
   */
  public DroverClientBuilder eventLoopGroup(EventLoopGroup group) {
    this.eventLoopGroup = requireNonNull(group, "group");
    return this;
  }

  /**
   * Connects to the master.
   *
   * @throws DroverConnectionException when the master cannot be reached; the message names the
   *     host and port
   */
  public DroverClient build() {
    return DroverClient.connect(this);
  }
}
