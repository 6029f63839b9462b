package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BucketPercentilesTest {
  /** Buckets (0, 10], (10, 20], (20, 40], then above 40. */
  private static final long[] BOUNDS = {10, 20, 40};

  @Test
  void noObservationsIsNaN() {
    assertThat(BucketPercentiles.estimate(BOUNDS, new long[] {0, 0, 0, 0}, 0.5)).isNaN();
  }

  @Test
  void interpolatesLinearlyWithinTheBucketThatHoldsTheRank() {
    // 100 observations: 50 in (0, 10], 40 in (10, 20], 10 in (20, 40].
    long[] counts = {50, 40, 10, 0};
    // Rank 50 is the last of the first bucket: its upper bound.
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.50)).isCloseTo(10, within(1e-9));
    // Rank 70 is 20 of the second bucket's 40: halfway through (10, 20].
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.70)).isCloseTo(15, within(1e-9));
    // Rank 99 is 9 of the third bucket's 10: 90% through (20, 40].
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.99)).isCloseTo(38, within(1e-9));
    // Rank 25 is halfway through the first bucket, which starts at 0.
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.25)).isCloseTo(5, within(1e-9));
  }

  @Test
  void emptyBucketsBeforeTheRankAreSkipped() {
    long[] counts = {0, 0, 4, 0};
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.5)).isCloseTo(30, within(1e-9));
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.0)).isCloseTo(20, within(1e-9));
  }

  @Test
  void aRankAboveEveryBoundIsTheLastBound() {
    long[] counts = {1, 0, 0, 99};
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.99)).isEqualTo(40);
    assertThat(BucketPercentiles.estimate(BOUNDS, counts, 0.01)).isCloseTo(10, within(1e-9));
  }

  @Test
  void badArgumentsAreRefusedWithWhatWasExpected() {
    assertThatThrownBy(() -> BucketPercentiles.estimate(BOUNDS, new long[] {1, 2, 3, 4}, 1.5))
        .hasMessage("q: 1.5 (expected: in [0, 1])");
    assertThatThrownBy(() -> BucketPercentiles.estimate(BOUNDS, new long[] {1, 2, 3}, 0.5))
        .hasMessage("counts: 3 buckets (expected: 4, one per bound and one above)");
  }
}
