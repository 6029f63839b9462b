package io.drover.master.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.config.AutoscaleSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The autoscaler's decisions over made-up samples, one a second. */
class AutoscalerTest {
  private static final AutoscaleSettings A =
      new AutoscaleSettings(1, 8, 0.8, 0, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10));

  private final Autoscaler autoscaler = new Autoscaler();
  private int pool = 2;
  private final List<String> decisions = new ArrayList<>();

  /** Feeds {@code seconds} samples of {@code load}, from second {@code from}, applying decisions. */
  private void run(int from, int seconds, double load, AutoscaleSettings a) {
    for (int t = from; t < from + seconds; t++) {
      Autoscaler.Decision d =
          autoscaler.offer(new Autoscaler.Sample(TimeUnit.SECONDS.toNanos(t), pool, pool, load, 0), a);
      if (d.scales()) {
        decisions.add("t=" + t + " " + d.reason());
        pool = d.workers();
      }
    }
  }

  @Test
  void desiredIsReadyTimesLoadOverTargetWithinTheBoundsAndTheTolerance() {
    assertThat(Autoscaler.desired(new Autoscaler.Sample(0, 2, 2, 1.6, 0), A)).isEqualTo(4);
    assertThat(Autoscaler.desired(new Autoscaler.Sample(0, 2, 2, 0.85, 0), A)).as("within 10%").isEqualTo(2);
    assertThat(Autoscaler.desired(new Autoscaler.Sample(0, 2, 2, 0, 0), A)).isEqualTo(1);
    assertThat(Autoscaler.desired(new Autoscaler.Sample(0, 2, 2, 100, 0), A)).isEqualTo(8);
    assertThat(Autoscaler.desired(new Autoscaler.Sample(0, 3, 0, 0, 0), A)).as("nothing ready: keep").isEqualTo(3);
    AutoscaleSettings cpu = new AutoscaleSettings(1, 8, 0.8, 1.0, A.upWindow(), A.downWindow(), A.cooldown());
    assertThat(Autoscaler.desired(new Autoscaler.Sample(0, 2, 2, 0.8, 1.5), cpu)).as("CPU wants 3").isEqualTo(3);
  }

  @Test
  void aBurstGrowsThePoolOnlyOnceItHasLastedTheUpWindow() {
    run(0, 4, 4.0, A); // 4 s of a burst: not yet
    assertThat(decisions).isEmpty();
    run(4, 2, 4.0, A);
    assertThat(decisions).containsExactly("t=5 2 -> 8 workers: load 4.00 per unit of capacity (target 0.80), more workers wanted for 5 s");
  }

  @Test
  void aShortLullDoesNotShrinkThePoolButLastingIdlenessDoes() {
    run(0, 10, 0.8, A);
    run(10, 20, 0.0, A); // 20 s idle: less than the down window
    run(30, 3, 0.8, A);
    assertThat(decisions).isEmpty();
    run(33, 31, 0.0, A);
    assertThat(decisions).containsExactly("t=63 2 -> 1 workers: load 0.00 per unit of capacity (target 0.80), fewer workers wanted for 30 s");
  }

  @Test
  void aLoadSwingingEverySecondNeverFlaps() {
    for (int t = 0; t < 300; t += 2) {
      run(t, 1, 3.0, A);
      run(t + 1, 1, 0.0, A);
    }
    assertThat(decisions).isEmpty();
  }

  @Test
  void theCooldownSpacesChangesAndTheBoundsAreKept() {
    AutoscaleSettings a = new AutoscaleSettings(1, 4, 0.8, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10));
    pool = 6; // above max, as after a manual scale
    run(0, 1, 0.8, a);
    assertThat(pool).isEqualTo(4);
    run(1, 20, 0.0, a);
    assertThat(decisions).hasSize(2);
    assertThat(decisions.get(1)).startsWith("t=10 4 -> 1 workers");
  }
}
