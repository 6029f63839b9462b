package io.drover.client;

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
  private static final TaskOptions DEFAULTS = new TaskOptions(null, false);

  private final Duration timeout;
  private final boolean noRetry;

  private TaskOptions(Duration timeout, boolean noRetry) {
    this.timeout = timeout;
    this.noRetry = noRetry;
  }

  /** The client's default timeout, retries allowed. */
  public static TaskOptions defaults() {
    return DEFAULTS;
  }

  /** These options with a timeout (greater than zero) instead of the client's default. */
  public TaskOptions withTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    return new TaskOptions(timeout, noRetry);
  }

  /**
   * These options for a task that is not safe to run twice: if the worker running it dies, it
   * fails at once with {@code WORKER_CRASHED} instead of being re-run on another worker.
   */
  public TaskOptions withNoRetry() {
    return new TaskOptions(timeout, true);
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
    return "TaskOptions{timeout=" + timeout + ", noRetry=" + noRetry + '}';
  }
}
