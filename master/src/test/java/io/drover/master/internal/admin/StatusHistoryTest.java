package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusHistoryTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long[] BOUNDS = {1_000_000, 10_000_000, 100_000_000};

  private static StatusHistory.Reading reading(int second, long completed, LatencyTotals latency) {
    return new StatusHistory.Reading(1_000_000L + second * 1000L, second * SECOND, completed, 2, 5, 3, latency);
  }

  @Test
  void eachSampleIsTheDifferenceFromThePreviousReading() {
    StatusHistory h = new StatusHistory(10);
    h.record(reading(0, 100, null));
    assertThat(h.samplesAfter(Long.MIN_VALUE)).as("the first reading only starts").isEmpty();
    h.record(reading(1, 150, null));
    h.record(reading(3, 250, null));
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
    assertThat(s.get(1).runP50Nanos()).as("no latency histograms").isNaN();
    assertThat(h.hasLatency()).isFalse();
  }

  @Test
  void keepsOnlyTheNewestCapacitySamplesOldestFirst() {
    StatusHistory h = new StatusHistory(3);
    for (int i = 0; i <= 7; i++) {
      h.record(reading(i, i * 10L, null));
    }
    List<HistorySample> s = h.samplesAfter(Long.MIN_VALUE);
    assertThat(s).extracting(HistorySample::atMillis).containsExactly(1_005_000L, 1_006_000L, 1_007_000L);
    assertThat(h.samplesAfter(1_005_000L)).extracting(HistorySample::atMillis).containsExactly(1_006_000L, 1_007_000L);
    assertThat(h.samplesAfter(1_007_000L)).isEmpty();
  }

  @Test
  void percentilesComeFromTheBucketCountsAddedInTheInterval() {
    StatusHistory h = new StatusHistory(10);
    // Before: 1000 fast tasks ran, which must not weigh on the next interval's percentiles.
    h.record(reading(0, 1000, new LatencyTotals(BOUNDS, new long[] {1000, 0, 0, 0}, new long[] {1000, 0, 0, 0})));
    // In the interval: 100 runs in (1 ms, 10 ms], 100 waits of which 98 in (0, 1 ms] and 2 in (10 ms, 100 ms].
    h.record(reading(1, 1100, new LatencyTotals(BOUNDS, new long[] {1098, 0, 2, 0}, new long[] {1000, 100, 0, 0})));
    HistorySample s = h.samplesAfter(Long.MIN_VALUE).get(0);
    assertThat(s.runP50Nanos()).isCloseTo(5_500_000, within(1.0));
    assertThat(s.runP99Nanos()).isCloseTo(9_910_000, within(1.0));
    assertThat(s.waitP50Nanos()).isCloseTo(50_000_000.0 / 98, within(1.0));
    assertThat(s.waitP99Nanos()).isCloseTo(55_000_000, within(1.0));
    assertThat(h.hasLatency()).isTrue();
    // An interval in which no task ran has no percentiles rather than zeros.
    h.record(reading(2, 1100, new LatencyTotals(BOUNDS, new long[] {1098, 0, 2, 0}, new long[] {1000, 100, 0, 0})));
    assertThat(h.samplesAfter(1_001_000L).get(0).runP99Nanos()).isNaN();
  }

  @Test
  void aCapacityOfZeroIsRefused() {
    assertThatThrownBy(() -> new StatusHistory(0)).hasMessage("capacity: 0 (expected: > 0)");
  }
}
