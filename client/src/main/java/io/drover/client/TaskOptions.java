package io.drover.client;

import io.drover.protocol.HumanUnits;
import io.drover.protocol.Traceparent;
import java.time.Duration;

/**
 * Per-task settings for {@link DroverClient#submit(String, byte[], TaskOptions)}. Immutable; start
 * from {@link #defaults()}.
 *
 * <pre>{@code
 * client.submit("charge-card", payload, TaskOptions.defaults().withNoRetry().withTimeout(Duration.ofSeconds(5)));
 * }</pre>
 */
public final class TaskOptions {
  private static final TaskOptions DEFAULTS = new TaskOptions(null, false, null, TaskPriority.NORMAL, null, null);

  private final Duration timeout;
  private final boolean noRetry;
  private final String routingKey;
  private final TaskPriority priority;
  private final Duration deadline;
  private final String traceparent;

  private TaskOptions(
      Duration timeout,
      boolean noRetry,
      String routingKey,
      TaskPriority priority,
      Duration deadline,
      String traceparent) {
    this.timeout = timeout;
    this.noRetry = noRetry;
    this.routingKey = routingKey;
    this.priority = priority;
    this.deadline = deadline;
    this.traceparent = traceparent;
  }

  /**
   * These options with a deadline enforced by the master: a task still waiting when it passes is
   * dropped, a running one is answered at once and its worker told to stop it, both with {@code
   * DEADLINE_EXCEEDED}. Counted from when the master receives the task; whole milliseconds,
   * greater than zero. Without {@link #withTimeout}, the client waits for the answer at least the
   * deadline plus 5 seconds, whatever its default timeout.
   */
  public TaskOptions withDeadline(Duration deadline) {
    if (deadline == null || deadline.toMillis() <= 0 || deadline.toMillis() > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("deadline: " + HumanUnits.duration(deadline) + " (expected: 1 ms .. 49 d)");
    }
    return new TaskOptions(timeout, noRetry, routingKey, priority, deadline, traceparent);
  }

  /** The deadline enforced by the master, or {@code null}. */
  public Duration deadline() {
    return deadline;
  }

  /** These options with a priority (default {@link TaskPriority#NORMAL}). */
  public TaskOptions withPriority(TaskPriority priority) {
    return new TaskOptions(timeout, noRetry, routingKey, java.util.Objects.requireNonNull(priority, "priority"), deadline, traceparent);
  }

  /** The priority. */
  public TaskPriority priority() {
    return priority;
  }

  /** The client's default timeout, retries allowed. */
  public static TaskOptions defaults() {
    return DEFAULTS;
  }

  /**
   * These options with a timeout (greater than zero) instead of the client's default. Like the
   * default, it counts from when the task is written to the connection, not while it waits in the
   * client behind {@link DroverClientBuilder#maxOutstanding(int)} unanswered requests.
   */
  public TaskOptions withTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + HumanUnits.duration(timeout) + " (expected: > 0)");
    }
    return new TaskOptions(timeout, noRetry, routingKey, priority, deadline, traceparent);
  }

  /**
   * These options for a task that is not safe to run twice: if the worker running it dies, it
   * fails at once with {@code WORKER_CRASHED} instead of being re-run on another worker.
   */
  public TaskOptions withNoRetry() {
    return new TaskOptions(timeout, true, routingKey, priority, deadline, traceparent);
  }

  /**
   * These options with a routing key: under the master's consistent-hash scheduler, tasks with
   * the same key go to the same worker (unless it is overloaded). 1-255 UTF-8 bytes.
   */
  public TaskOptions withRoutingKey(String routingKey) {
    int bytes = routingKey == null ? 0 : routingKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > 255) {
      throw new IllegalArgumentException("routingKey: '" + routingKey + "' (expected: 1-255 UTF-8 bytes)");
    }
    return new TaskOptions(timeout, noRetry, routingKey, priority, deadline, traceparent);
  }

  /**
   * These options with a W3C trace context (<a href="https://www.w3.org/TR/trace-context/">
   * traceparent</a>, version 00, e.g. {@code
   * 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}): the master forwards it to the
   * worker, whose handler sees it in {@code TaskContext.traceparent()} and whose log lines carry
   * its trace id. Without it, the client sends the current OpenTelemetry span's traceparent when
   * the OpenTelemetry API is on the classpath and a valid span is current; this one wins over it.
   *
   * @throws IllegalArgumentException unless {@code traceparent} is a valid version 00 traceparent
   *     (lowercase hex, ids not all zeros)
   */
  public TaskOptions withTraceparent(String traceparent) {
    if (!Traceparent.isWellFormed(traceparent)) {
      throw new IllegalArgumentException(
          "traceparent: '" + traceparent + "' (expected: " + Traceparent.expected() + ")");
    }
    return new TaskOptions(timeout, noRetry, routingKey, priority, deadline, traceparent);
  }

  /** The traceparent given with {@link #withTraceparent}, or {@code null}. */
  public String traceparent() {
    return traceparent;
  }

  /** The routing key, or {@code null}. */
  public String routingKey() {
    return routingKey;
  }

  /** The timeout, or {@code null} for the client's default. */
  public Duration timeout() {
    return timeout;
  }

  /** Whether the task must not be re-run after a worker crash. */
  public boolean noRetry() {
    return noRetry;
  }

  @Override
  public String toString() {
    return "TaskOptions{timeout=" + timeout + ", noRetry=" + noRetry + ", routingKey=" + routingKey + ", priority=" + priority + ", deadline=" + deadline + ", traceparent=" + traceparent + '}';
  }
}
