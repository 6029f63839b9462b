package io.drover.client;

import static java.util.Objects.requireNonNull;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.HumanUnits;
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
  static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
  /** The master's default {@code --max-in-flight-per-connection}. */
  static final int DEFAULT_MAX_OUTSTANDING = 10_000;
  static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(30);
  static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(50);
  static final Duration DEFAULT_RECONNECT_TIMEOUT = Duration.ofSeconds(10);

  String host = "127.0.0.1";
  int port = 7070;
  Duration defaultTimeout = DEFAULT_TIMEOUT;
  int maxFrameBytes = FrameLimits.DEFAULT_MAX_FRAME_BYTES;
  Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  ClientEventLoops eventLoops;
  int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  int maxOutstanding = DEFAULT_MAX_OUTSTANDING;
  Duration maxBlock = DEFAULT_MAX_BLOCK;
  Duration reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
  Duration reconnectTimeout = DEFAULT_RECONNECT_TIMEOUT;
  DroverTls tls;
  String token;

  DroverClientBuilder() {}

  /**
   * Authenticates every connection, reconnections included, with {@code token}: an AUTH frame
   * first, before any task. {@link #build()} waits for the master's answer and fails with a
   * {@link DroverAuthenticationException} when it refuses the token. Null (the default) sends
   * none, which a master with tenants refuses at the first request. Keep the token out of
   * command lines and logs: read it from a file or the environment.
   */
  public DroverClientBuilder token(String token) {
    if (token != null && token.isEmpty()) {
      throw new IllegalArgumentException("token: '' (expected: a tenant's token, or null for none)");
    }
    this.token = token;
    return this;
  }

  /**
   * Connects with TLS, as {@code tls} says; null (the default) for a plaintext connection. The
   * handshake happens in {@link #build()}, which fails with a {@link DroverConnectionException}
   * naming why (an untrusted certificate, a host name it does not name, a master without TLS).
   */
  public DroverClientBuilder tls(DroverTls tls) {
    this.tls = tls;
    return this;
  }

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
   * How long a task may take, from when it is written to the connection to its result, when {@link
   * DroverClient#submit(String, byte[])} is not given a timeout; 30 seconds by default. {@link
   * Duration#ZERO} means no timeout. The clock does not run while the task waits in the client
   * for room among the {@link #maxOutstanding(int)} requests the master holds: it covers the time
   * the master has the task, however many more the application submits.
   */
  public DroverClientBuilder defaultTimeout(Duration defaultTimeout) {
    requireNonNull(defaultTimeout, "defaultTimeout");
    if (defaultTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "defaultTimeout: " + HumanUnits.duration(defaultTimeout) + " (expected: >= 0)");
    }
    this.defaultTimeout = defaultTimeout;
    return this;
  }

  /**
   * The largest frame the client reads, and sends: a task whose request would be larger fails at
   * once with {@code FRAME_TOO_LARGE}. Should match the master's limit; 16 MiB by default.
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
          "connectTimeout: " + HumanUnits.duration(connectTimeout) + " (expected: > 0 and <= "
              + HumanUnits.millis(Integer.MAX_VALUE) + ")");
    }
    this.connectTimeout = connectTimeout;
    return this;
  }

  /**
   * The most requests (tasks, jobs and pings) the client holds at once: submitted and not yet
   * answered, timed out, cancelled or failed, whether written to the master or still queued in
   * the client (beyond {@link #maxOutstanding(int)}, or while the connection cannot write as fast
   * as they come); 10,000 by default. A job counts as one request however many subtasks it has: it
   * is one frame each way, and the master bounds the subtasks it runs for a connection. This
   * bounds the memory the client holds for requests: raise it to queue more in the client (e.g.
   * 200,000 for a batch submitted at once), each holding its payload until it is answered.
   *
   * <p>At the limit, {@code submit}, {@code submitJob} and {@code ping} wait for room, up to
   * {@link #maxBlock(Duration)}, then fail the future they return with a {@link
   * DroverBackpressureException}. On one of the client's event loop threads (in a future's
   * callback, or on any thread of the {@link ClientEventLoops} it runs on) they never wait: they
   * fail at once, because the room they would wait for is freed on such a thread.
   */
  public DroverClientBuilder maxInFlight(int maxInFlight) {
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: > 0)");
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  /**
   * The most requests written to the master and not yet answered at once, on the client's
   * connection; 10,000 by default, the master's default {@code --max-in-flight-per-connection}
   * (set the two alike: a master stops reading a connection at its limit, and a request written
   * beyond it waits in the socket with its timeout running). Requests beyond it, up to {@link
   * #maxInFlight(int)}, wait in the client in submission order, their timeouts not yet started.
   */
  public DroverClientBuilder maxOutstanding(int maxOutstanding) {
    if (maxOutstanding <= 0 || maxOutstanding > (1 << 24)) {
      throw new IllegalArgumentException("maxOutstanding: " + maxOutstanding + " (expected: 1.." + (1 << 24) + ")");
    }
    this.maxOutstanding = maxOutstanding;
    return this;
  }

  /**
   * How long a submitting thread waits for room when {@link #maxInFlight(int)} requests are in
   * flight (like Kafka's {@code max.block.ms}); 30 seconds by default, the default task timeout,
   * within which every request in flight with that timeout is answered or times out. {@link
   * Duration#ZERO} fails at once instead of waiting. A request's timeout counts from when it is
   * written to the connection, so its future may take up to {@code maxBlock}, plus the time it
   * waits in the client behind {@link #maxOutstanding(int)} others, plus its timeout to complete.
   */
  public DroverClientBuilder maxBlock(Duration maxBlock) {
    requireNonNull(maxBlock, "maxBlock");
    if (maxBlock.isNegative()) {
      throw new IllegalArgumentException("maxBlock: " + HumanUnits.duration(maxBlock) + " (expected: >= 0)");
    }
    this.maxBlock = maxBlock;
    return this;
  }

  /**
   * How long the client waits after a failed attempt to reconnect before the next one; doubled
   * after each failure, up to 1 second (or this, if longer). 50 ms by default. The first attempt
   * after a GOAWAY or a lost connection is made at once.
   */
  public DroverClientBuilder reconnectBackoff(Duration reconnectBackoff) {
    requireNonNull(reconnectBackoff, "reconnectBackoff");
    if (reconnectBackoff.isNegative() || reconnectBackoff.isZero()) {
      throw new IllegalArgumentException(
          "reconnectBackoff: " + HumanUnits.duration(reconnectBackoff) + " (expected: > 0)");
    }
    this.reconnectBackoff = reconnectBackoff;
    return this;
  }

  /**
   * How long the client tries to reconnect, after a GOAWAY or a lost connection, before the
   * requests waiting for a connection fail with a {@link DroverConnectionException}; 10 seconds by
   * default. A waiting request whose own timeout passes first fails with {@code
   * DEADLINE_EXCEEDED}. {@link Duration#ZERO}: one attempt only.
   */
  public DroverClientBuilder reconnectTimeout(Duration reconnectTimeout) {
    requireNonNull(reconnectTimeout, "reconnectTimeout");
    if (reconnectTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "reconnectTimeout: " + HumanUnits.duration(reconnectTimeout) + " (expected: >= 0)");
    }
    this.reconnectTimeout = reconnectTimeout;
    return this;
  }

  /**
   * Runs the connection on one of {@code loops} instead of threads of the client's own, which
   * saves threads when there are many clients. Closing the client leaves them running.
   */
  public DroverClientBuilder eventLoops(ClientEventLoops loops) {
    this.eventLoops = requireNonNull(loops, "loops");
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
