package io.drover.master.config;

import java.util.Locale;

/**
 * What happens to a new task that finds every suitable worker full and the master's queue at its
 * bound ({@code --max-queued-tasks} / {@code --max-queued-mib}).
 */
public enum QueueFullPolicy {
  /**
   * Answer it {@code OVERLOADED} at once (the default): the clients that send too much learn it
   * and can back off, and connections with few tasks keep flowing.
   */
  REJECT,
  /**
   * Accept it and stop reading from its connection until the queue has drained to 90% of its
   * bound: TCP backpressure slows the sender and nothing is refused. The bound can be exceeded by
   * what each paused connection had already sent (at most one read's worth). For batch clients
   * that would rather be slowed than retry.
   */
  PAUSE;

  /** Parses {@code reject} or {@code pause}, in any case. */
  public static QueueFullPolicy of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("queueFullPolicy: '" + name + "' (expected: reject or pause)");
    }
  }
}
