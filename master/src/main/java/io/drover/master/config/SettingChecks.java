package io.drover.master.config;

import io.drover.protocol.HumanUnits;
import java.time.Duration;
import java.util.Objects;

/**
 * The range checks every setting goes through, with bounds chosen so that no limit derived from a
 * setting overflows (a duration in nanoseconds, a size in bytes plus a frame, a count plus a
 * job's subtasks). Each refusal names the setting and the range it expected.
 */
public final class SettingChecks {
  /**
   * Shortest duration: the heartbeat interval reaches workers in whole milliseconds, and a
   * positive duration that rounds to 0 ms would be refused there.
   */
  public static final Duration MIN_DURATION = Duration.ofMillis(1);

  /**
   * Longest duration: 24 days fits in an {@code int} of milliseconds (how the heartbeat interval
   * reaches workers) and is far from {@link Duration#toNanos()}'s overflow at about 292 years, even
   * when added to {@link System#nanoTime()}.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(24);

  /**
   * Largest size in bytes (queued payload, worker memory, log file): 1 PiB, so that adding any
   * frame to it, or scaling a count of MiB to it, stays far from {@code Long.MAX_VALUE}.
   */
  public static final long MAX_BYTES = 1L << 50;

  /** Largest count of tasks (queue bound, in flight per connection), so that adding a job's subtasks cannot overflow an int. */
  public static final int MAX_TASKS = 1 << 30;

  /**
   * Most tasks between recycles of a worker: the dispatcher adds up to a tenth more at random, so
   * that workers started together are not recycled together.
   */
  public static final long MAX_TASKS_PER_WORKER = 1L << 60;

  /** Most worker JVMs in one pool, at start-up or after a scale-up. */
  public static final int MAX_WORKERS = 1024;

  private SettingChecks() {}

  /** Checks a pool size: 1..{@link #MAX_WORKERS}. */
  public static void checkWorkers(int workers) {
    checkRange("workers", workers, 1, MAX_WORKERS);
  }

  static void checkPositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  static void checkRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }

  /** Checks a positive count or size with an upper bound: 1..max. */
  static void checkPositive(String name, long value, long max) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    if (value > max) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: <= " + max + ")");
    }
  }

  /** Checks a duration: {@link #MIN_DURATION}..{@link #MAX_DURATION}. */
  static void checkDuration(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + HumanUnits.duration(value) + " (expected: > 0)");
    }
    if (value.compareTo(MIN_DURATION) < 0) {
      throw new IllegalArgumentException(name + ": " + HumanUnits.duration(value) + " (expected: >= " + HumanUnits.duration(MIN_DURATION) + ")");
    }
    if (value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + ": " + HumanUnits.duration(value) + " (expected: <= " + HumanUnits.duration(MAX_DURATION) + ")");
    }
  }
}
