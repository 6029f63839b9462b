package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
  private static final long START = 5_000_000_000L;

  @Test
  void taskIIsDueAtStartPlusIOverRate() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(START, 1000);

    assertThat(schedule.intendedNanos(0)).isEqualTo(START);
    assertThat(schedule.intendedNanos(1)).isEqualTo(START + 1_000_000);
    assertThat(schedule.intendedNanos(1000)).isEqualTo(START + 1_000_000_000L);
    assertThat(schedule.intendedNanos(123_456)).isEqualTo(START + 123_456_000_000L);
  }

  @Test
  void fractionalIntervalsDoNotDrift() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(START, 3);

    assertThat(schedule.intendedNanos(1)).isEqualTo(START + 333_333_333);
    assertThat(schedule.intendedNanos(3)).isEqualTo(START + 1_000_000_000L);
    assertThat(schedule.intendedNanos(3_000_000)).isEqualTo(START + 1_000_000_000_000_000L);
  }

  @Test
  void dueCountCountsTasksWhoseIntendedTimeHasCome() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(START, 1000);

    assertThat(schedule.dueCount(START - 1)).isZero();
    assertThat(schedule.dueCount(START)).isEqualTo(1);
    assertThat(schedule.dueCount(START + 999_999)).isEqualTo(1);
    assertThat(schedule.dueCount(START + 1_000_000)).isEqualTo(2);
    assertThat(schedule.dueCount(START + 1_000_000_000L)).isEqualTo(1001);
  }

  @Test
  void dueCountAgreesWithIntendedTimesAtEveryBoundary() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(START, 100_000 / 7.0);
    for (long i = 0; i < 10_000; i++) {
      long intended = schedule.intendedNanos(i);
      assertThat(schedule.dueCount(intended)).isEqualTo(i + 1);
      assertThat(schedule.dueCount(intended - 1)).isEqualTo(i);
    }
  }

  @Test
  void refusesANonPositiveRate() {
    assertThatThrownBy(() -> new OpenLoopSchedule(START, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate: 0.0");
  }
}
