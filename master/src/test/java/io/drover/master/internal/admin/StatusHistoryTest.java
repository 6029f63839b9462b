package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.drover.master.internal.dispatch.DispatchMetrics;
import io.drover.master.internal.dispatch.DispatchMetrics.Latencies;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusHistoryTest {
  private static final long SECOND = 1_000_000_000L;
  /** The master's buckets: 100 µs, 250 µs, 500 µs, 1 ms, 2.5 ms, 5 ms, 10 ms, 25 ms, ..., 60 s, then above. */
  private static final int BUCKETS = DispatchMetrics.latencyBoundsSeconds().length + 1;

  private static StatusHistory.Reading reading(int second, long completed) {
    return new StatusHistory.Reading(1_000_000L + second * 1000L, second * SECOND, completed, 2, 5, 3, null, null);
  }

  private static StatusHistory.Reading reading(int second, long completed, long[] run, long[] queueWait) {
    return new StatusHistory.Reading(
        1_000_000L + second * 1000L, second * SECOND, completed, 2, 5, 3, new Latencies(run, 0), new Latencies(queueWait, 0));
  }

  /** Bucket counts: {@code counts} as pairs of (bucket index, count). */
  private static long[] buckets(long... counts) {
    long[] b = new long[BUCKETS];
    for (int i = 0; i < counts.length; i += 2) {
      b[(int) counts[i]] = counts[i + 1];
    }
    return b;
  }

  @Test
  void eachSampleIsTheDifferenceFromThePreviousReading() {
    StatusHistory h = new StatusHistory(10);
    h.record(reading(0, 100));
    assertThat(h.samplesAfter(Long.MIN_VALUE)).as("the first reading only starts").isEmpty();
    h.record(reading(1, 150));
    h.record(reading(3, 250));
    List<HistorySample> s = h.samplesAfter(Long.MIN_VALUE);
    assertThat(s).hasSize(2);
    assertThat(s.get(0).completed()).isEqualTo(50);
    assertThat(s.get(0).tasksPerSecond()).isCloseTo(50, within(1e-9));
    assertThat(s.get(1).completed()).isEqualTo(100);
    assertThat(s.get(1).tasksPerSecond()).as("over a two-second interval").isCloseTo(50, within(1e-9));
    assertThat(s.get(1).atMillis()).isEqualTo(1_003_000L);
    assertThat(s.get(1).waiting()).isEqualTo(2);
    assertThat(s.get(1).inFlight()).isEqualTo(5);
    assertThat(s.get(1).workersReady()).isEqualTo(3);
    assertThat(s.get(1).runP50Seconds()).as("no latency histograms").isNaN();
    assertThat(h.hasLatency()).isFalse();
  }

  @Test
  void keepsOnlyTheNewestCapacitySamplesOldestFirst() {
    StatusHistory h = new StatusHistory(3);
    for (int i = 0; i <= 7; i++) {
      h.record(reading(i, i * 10L));
    }
    List<HistorySample> s = h.samplesAfter(Long.MIN_VALUE);
    assertThat(s).extracting(HistorySample::atMillis).containsExactly(1_005_000L, 1_006_000L, 1_007_000L);
    assertThat(h.samplesAfter(1_005_000L)).extracting(HistorySample::atMillis).containsExactly(1_006_000L, 1_007_000L);
    assertThat(h.samplesAfter(1_007_000L)).isEmpty();
  }

  @Test
  void percentilesAreEstimatedFromTheBucketCountsAddedInTheIntervalAlone() {
    StatusHistory h = new StatusHistory(10);
    // Before: 1000 fast tasks (under 100 µs), which must not weigh on the next interval.
    h.record(reading(0, 1000, buckets(0, 1000), buckets(0, 1000)));
    // In the interval: 100 runs in (1 ms, 2.5 ms]; 98 waits in (0, 100 µs] and 2 in (10 ms, 25 ms].
    h.record(reading(1, 1100, buckets(0, 1000, 4, 100), buckets(0, 1098, 7, 2)));
    HistorySample s = h.samplesAfter(Long.MIN_VALUE).get(0);
    // Rank 50 of 100 is halfway through (1 ms, 2.5 ms]; rank 99 is 99% through it.
    assertThat(s.runP50Seconds()).isCloseTo(1.75e-3, within(1e-12));
    assertThat(s.runP99Seconds()).isCloseTo(1e-3 + 0.99 * 1.5e-3, within(1e-12));
    // Rank 50 of 100 is the 50th of the 98 in (0, 100 µs]; rank 99 is the first of the 2 in (10 ms, 25 ms].
    assertThat(s.waitP50Seconds()).isCloseTo(100e-6 * 50 / 98, within(1e-12));
    assertThat(s.waitP99Seconds()).isCloseTo(10e-3 + 15e-3 / 2, within(1e-12));
    assertThat(h.hasLatency()).isTrue();

    // An interval in which no task ran has no percentiles rather than zeros.
    h.record(reading(2, 1100, buckets(0, 1000, 4, 100), buckets(0, 1098, 7, 2)));
    assertThat(h.samplesAfter(1_001_000L).get(0).runP99Seconds()).isNaN();
    // Past the last bound (60 s) nothing says how far: the estimate is that bound.
    h.record(reading(3, 1101, buckets(0, 1000, 4, 100, BUCKETS - 1, 1), buckets(0, 1099, 7, 2)));
    assertThat(h.samplesAfter(1_002_000L).get(0).runP50Seconds()).isEqualTo(60.0);
  }

  @Test
  void aCapacityOfZeroIsRefused() {
    assertThatThrownBy(() -> new StatusHistory(0)).hasMessage("capacity: 0 (expected: > 0)");
  }
}
