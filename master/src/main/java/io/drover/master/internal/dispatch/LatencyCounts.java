package io.drover.master.internal.dispatch;

/**
 * A latency histogram as fixed bucket counters: what the task path adds to costs one bucket search
 * over a short array and two increments, no allocation. Written on the dispatch loop only; read
 * there too, by {@link DispatchMetrics#of}.
 */
final class LatencyCounts {
  /** Upper bounds of the buckets, in nanoseconds; one more bucket above the last counts the rest. */
  static final long[] BOUNDS_NANOS = {
    100_000L, 250_000L, 500_000L,
    1_000_000L, 2_500_000L, 5_000_000L,
    10_000_000L, 25_000_000L, 50_000_000L,
    100_000_000L, 250_000_000L, 500_000_000L,
    1_000_000_000L, 2_500_000_000L, 5_000_000_000L,
    10_000_000_000L, 30_000_000_000L, 60_000_000_000L,
  };

  /** Observations per bucket (not cumulative); the last one is above every bound. */
  final long[] buckets = new long[BOUNDS_NANOS.length + 1];
  long sumNanos;

  void record(long nanos) {
    if (nanos < 0) {
      nanos = 0; // nanoTime is monotonic, but a caller's reading may be older than the other's
    }
    long[] bounds = BOUNDS_NANOS;
    int i = 0;
    while (i < bounds.length && nanos > bounds[i]) {
      i++;
    }
    buckets[i]++;
    sumNanos += nanos;
  }
}
