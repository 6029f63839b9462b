package io.drover.master.internal.admin;

/**
 * The master's task latency histograms since its start, summed over every task type: fixed bucket
 * counts that only grow, so that the difference of two readings is the histogram of the tasks
 * answered between them. Immutable: the arrays are copies nobody writes.
 *
 * @param upperBoundsNanos each bucket's upper bound, in nanoseconds
 * @param queueWait per bucket (and one above every bound): from acceptance to the first dispatch
 * @param run per bucket (and one above every bound): from the last dispatch to the result
 */
public record LatencyTotals(long[] upperBoundsNanos, long[] queueWait, long[] run) {
  /** Checks that both histograms have one bucket per bound and one above. */
  public LatencyTotals {
    if (queueWait.length != upperBoundsNanos.length + 1 || run.length != upperBoundsNanos.length + 1) {
      throw new IllegalArgumentException(
          "buckets: " + queueWait.length + " and " + run.length + " (expected: " + (upperBoundsNanos.length + 1) + " each)");
    }
  }

  /** Whether {@code other} counts in the same buckets, so that the two may be subtracted. */
  boolean sameBuckets(LatencyTotals other) {
    return java.util.Arrays.equals(upperBoundsNanos, other.upperBoundsNanos);
  }
}
