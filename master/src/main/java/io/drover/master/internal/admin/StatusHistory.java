package io.drover.master.internal.admin;

import io.drover.master.internal.dispatch.DispatchMetrics.Latencies;
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
   * @param run the run-time histogram since the start, over every task type; null when the master
   *     keeps none
   * @param queueWait the queue-wait histogram likewise
   */
  record Reading(
      long atMillis, long nanoTime, long completed, int waiting, int inFlight, int workersReady, Latencies run, Latencies queueWait) {}

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
    Latencies run = null;
    Latencies wait = null;
    if (now.run() != null && before.run() != null) {
      // Counts only grow: the difference is the histogram of the tasks of this interval alone.
      run = now.run().minus(before.run());
      wait = now.queueWait().minus(before.queueWait());
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
            quantile(run, 0.50),
            quantile(run, 0.99),
            quantile(wait, 0.50),
            quantile(wait, 0.99)));
  }

  private void add(HistorySample sample) {
    ring[next] = sample;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** Whether the latest reading had latency histograms (the percentiles are null without). */
  boolean hasLatency() {
    return previous != null && previous.run() != null;
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

  private static double quantile(Latencies interval, double q) {
    return interval == null ? Double.NaN : interval.quantileSeconds(q);
  }
}
