package io.drover.master.internal.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * The last minutes of the master's life as a ring of {@link HistorySample}s, one per reading after
 * the first: each sample is the difference between a reading of the master's running totals and
 * the one before it. Owned by the admin loop: not thread-safe.
 */
final class StatusHistory {
  /**
   * The master's running totals and gauges at one moment.
   *
   * @param atMillis when (milliseconds since the epoch)
   * @param nanoTime {@link System#nanoTime()} then, for the interval's length
   * @param completed tasks answered to clients since the start
   * @param waiting tasks waiting in the master
   * @param inFlight tasks accepted and not yet answered
   * @param workersReady workers ready
   * @param latency the latency histograms since the start, or null when the master keeps none
   */
  record Reading(long atMillis, long nanoTime, long completed, int waiting, int inFlight, int workersReady, LatencyTotals latency) {}

  private final HistorySample[] ring;
  /** Where the next sample goes. */
  private int next;
  private int size;
  private Reading previous;

  StatusHistory(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
    }
    this.ring = new HistorySample[capacity];
  }

  /** Most samples kept; older ones are dropped. */
  int capacity() {
    return ring.length;
  }

  /** Adds the sample between the previous reading and {@code now}; the first reading only starts. */
  void record(Reading now) {
    Reading before = previous;
    previous = now;
    if (before == null || now.nanoTime() <= before.nanoTime()) {
      return;
    }
    double[] run = {Double.NaN, Double.NaN};
    double[] wait = {Double.NaN, Double.NaN};
    if (now.latency() != null && before.latency() != null && now.latency().sameBuckets(before.latency())) {
      long[] bounds = now.latency().upperBoundsNanos();
      run = p50p99(bounds, delta(now.latency().run(), before.latency().run()));
      wait = p50p99(bounds, delta(now.latency().queueWait(), before.latency().queueWait()));
    }
    add(
        new HistorySample(
            now.atMillis(),
            (now.nanoTime() - before.nanoTime()) / 1e9,
            // A total never falls; if one seems to, count nothing rather than a negative rate.
            Math.max(0, now.completed() - before.completed()),
            now.waiting(),
            now.inFlight(),
            now.workersReady(),
            run[0],
            run[1],
            wait[0],
            wait[1]));
  }

  private void add(HistorySample sample) {
    ring[next] = sample;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** Whether the latest reading had latency histograms (the percentiles are null without). */
  boolean hasLatency() {
    return previous != null && previous.latency() != null;
  }

  /** The samples that ended after {@code afterMillis}, oldest first. */
  List<HistorySample> samplesAfter(long afterMillis) {
    List<HistorySample> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      HistorySample s = ring[(next - size + i + ring.length) % ring.length];
      if (s.atMillis() > afterMillis) {
        out.add(s);
      }
    }
    return out;
  }

  private static long[] delta(long[] now, long[] before) {
    long[] d = new long[now.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.max(0, now[i] - before[i]);
    }
    return d;
  }

  private static double[] p50p99(long[] bounds, long[] counts) {
    return new double[] {BucketPercentiles.estimate(bounds, counts, 0.50), BucketPercentiles.estimate(bounds, counts, 0.99)};
  }
}
