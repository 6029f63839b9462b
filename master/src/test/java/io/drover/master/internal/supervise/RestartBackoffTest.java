package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.config.SupervisionSettings;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  private static final long S = 1_000_000_000L;

  private final SupervisionSettings settings =
      SupervisionSettings.builder()
          .restartBackoffInitial(Duration.ofSeconds(1))
          .restartBackoffMax(Duration.ofSeconds(30))
          .restartResetAfter(Duration.ofSeconds(10))
          .crashLoopThreshold(5)
          .crashLoopWindow(Duration.ofSeconds(60))
          .build();
  private final RestartBackoff backoff = new RestartBackoff(settings, new SplittableRandom(7));

  @Test
  void theFirstRestartIsImmediate() {
    assertThat(backoff.onCrash(0, S)).isZero();
  }

  @Test
  void laterRestartsBackOffExponentiallyWithJitterUpToTheCap() {
    backoff.onCrash(0, 0);
    long[] expectedBase = {1, 2, 4, 8, 16, 30, 30};
    // Spread the crashes over time so the crash-loop window does not come into play.
    for (int i = 0; i < expectedBase.length; i++) {
      long delay = backoff.onCrash((i + 1) * 61 * S, 0);
      if (backoff.inCrashLoop()) {
        break;
      }
      long base = expectedBase[i] * S;
      assertThat(delay).as("restart %d", i + 2).isBetween(base / 2, base);
    }
  }

  @Test
  void aWorkerThatStayedUpLongEnoughResetsTheBackoff() {
    backoff.onCrash(0, 0);
    backoff.onCrash(61 * S, 0);
    assertThat(backoff.onCrash(200 * S, 11 * S)).isZero();
  }

  @Test
  void moreCrashesThanTheThresholdWithinTheWindowIsACrashLoopRetriedAtTheCap() {
    long delay = 0;
    for (int i = 0; i < 6; i++) {
      delay = backoff.onCrash(i * S, 0);
    }
    assertThat(backoff.inCrashLoop()).isTrue();
    assertThat(delay).isEqualTo(30 * S);
  }

  @Test
  void crashesOutsideTheWindowAreForgotten() {
    for (int i = 0; i < 5; i++) {
      backoff.onCrash(i * S, 0);
    }
    backoff.onCrash(100 * S, 0);
    assertThat(backoff.inCrashLoop()).isFalse();
    assertThat(backoff.recentCrashes()).isEqualTo(1);
  }

  @Test
  void jitterSpreadsSlotsThatCrashTogether() {
    RestartBackoff other = new RestartBackoff(settings, new SplittableRandom(8));
    backoff.onCrash(0, 0);
    other.onCrash(0, 0);
    long a = backoff.onCrash(61 * S, 0);
    long b = other.onCrash(61 * S, 0);
    assertThat(a).isNotEqualTo(b);
  }
}
