package io.drover.bench.loadgen;

/**
 * The validated parameters of one load generator run.
 *
 * @param host the address to connect to
 * @param port the TCP port to connect to
 * @param taskType the task type of every request
 * @param payloadBytes the size of every request's (constant) payload
 * @param durationSeconds the length of the measured phase
 * @param warmupSeconds the length of the warm-up phase, whose results are discarded
 * @param connections the number of TCP connections
 * @param concurrency closed loop: tasks in flight per connection; open loop: the cap on
 *     outstanding tasks per connection
 * @param rate open loop: tasks per second across all connections; 0 for the closed loop
 * @param timeoutSeconds how long a task may stay unanswered before it counts as an error
 * @param expectEchoFrames whether replies are the request frames echoed back (bare relay)
 * @param tickMicros open loop: how often the send schedule is checked
 */
public record LoadSettings(
    String host,
    int port,
    String taskType,
    int payloadBytes,
    double durationSeconds,
    double warmupSeconds,
    int connections,
    int concurrency,
    double rate,
    double timeoutSeconds,
    boolean expectEchoFrames,
    int tickMicros) {

  /** Checks every parameter; the message names the bad one. */
  public LoadSettings {
    check(!host.isEmpty(), "host: empty (expected: a host name or address)");
    check(port > 0 && port < 65536, "port: " + port + " (expected: 1..65535)");
    check(!taskType.isEmpty(), "type: empty (expected: a task type)");
    check(payloadBytes >= 0, "payload-bytes: " + payloadBytes + " (expected: >= 0)");
    check(durationSeconds > 0, "duration: " + durationSeconds + " (expected: > 0)");
    check(warmupSeconds >= 0, "warmup: " + warmupSeconds + " (expected: >= 0)");
    check(connections > 0, "connections: " + connections + " (expected: > 0)");
    check(
        concurrency > 0 && concurrency <= InFlightTable.MAX_SLOTS,
        "concurrency: " + concurrency + " (expected: 1.." + InFlightTable.MAX_SLOTS + ")");
    check(rate >= 0, "rate: " + rate + " (expected: >= 0, 0 = closed loop)");
    check(timeoutSeconds > 0, "timeout: " + timeoutSeconds + " (expected: > 0)");
    check(tickMicros > 0, "tick-us: " + tickMicros + " (expected: > 0)");
  }

  /** Whether this is an open-loop (constant rate) run. */
  public boolean openLoop() {
    return rate > 0;
  }

  /** "open" or "closed". */
  public String mode() {
    return openLoop() ? "open" : "closed";
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
