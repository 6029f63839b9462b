package io.drover.bench.loadgen;

/**
 * The constant send schedule of the open loop: task {@code i} (from 0) is due at {@code start +
 * i / rate}. Latency is measured from that intended time, not from when the task was actually
 * written, so a stall anywhere (the server, the network or this generator) shows up as latency
 * instead of silently lowering the offered load (coordinated omission, as wrk2 corrects it).
 */
final class OpenLoopSchedule {
  private final long startNanos;
  private final double nanosPerTask;
  private final double tasksPerNano;

  /** A schedule of {@code tasksPerSecond} starting at {@code startNanos} ({@link System#nanoTime}). */
  OpenLoopSchedule(long startNanos, double tasksPerSecond) {
    if (!(tasksPerSecond > 0)) {
      throw new IllegalArgumentException("rate: " + tasksPerSecond + " (expected: > 0)");
    }
    this.startNanos = startNanos;
    this.nanosPerTask = 1e9 / tasksPerSecond;
    this.tasksPerNano = tasksPerSecond / 1e9;
  }

  /** When task {@code index} is due. */
  long intendedNanos(long index) {
    return startNanos + (long) (index * nanosPerTask);
  }

  /** How many tasks are due at {@code nowNanos}: tasks 0 .. result−1. */
  long dueCount(long nowNanos) {
    long elapsed = nowNanos - startNanos;
    if (elapsed < 0) {
      return 0;
    }
    long count = (long) (elapsed * tasksPerNano) + 1;
    // Floating point may be off by one at the boundary; the intended times are the definition.
    while (count > 0 && intendedNanos(count - 1) > nowNanos) {
      count--;
    }
    while (intendedNanos(count) <= nowNanos) {
      count++;
    }
    return count;
  }
}
