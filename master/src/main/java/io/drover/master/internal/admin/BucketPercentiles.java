package io.drover.master.internal.admin;

/**
 * Percentiles estimated from a histogram's bucket counts, the way Prometheus' {@code
 * histogram_quantile} does: find the bucket that holds the wanted rank and interpolate linearly
 * between its bounds, as if its observations were spread evenly across it. The answer is an
 * estimate whose error is at most the width of that bucket.
 */
final class BucketPercentiles {
  private BucketPercentiles() {}

  /**
   * The {@code q}-quantile of the observations counted in {@code counts}, or NaN when there are
   * none.
   *
   * @param upperBounds each bucket's upper bound (ascending, the first bucket starting at 0)
   * @param counts observations per bucket, not cumulative: one per bound and a last one for those
   *     above every bound
   * @param q the quantile, in [0, 1]
   * @return the estimate, in the bounds' unit; an estimate in the last (unbounded) bucket is the
   *     last bound, since nothing says how far above it those observations were
   */
  static double estimate(long[] upperBounds, long[] counts, double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q: " + q + " (expected: in [0, 1])");
    }
    if (counts.length != upperBounds.length + 1) {
      throw new IllegalArgumentException(
          "counts: " + counts.length + " buckets (expected: " + (upperBounds.length + 1) + ", one per bound and one above)");
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < upperBounds.length; i++) {
      long inBucket = counts[i];
      if (inBucket > 0 && below + inBucket >= rank) {
        double lower = i == 0 ? 0 : upperBounds[i - 1];
        return lower + (upperBounds[i] - lower) * ((rank - below) / inBucket);
      }
      below += inBucket;
    }
    return upperBounds[upperBounds.length - 1];
  }
}
