package io.drover.master.config;

import java.time.Duration;

/**
 * How the master sizes its pool by itself, between {@code min} and {@code max} workers, the way
 * Kubernetes' horizontal pod autoscaler does: every second it takes the load per worker (tasks on
 * the workers and waiting in the master, in units of a worker's capacity) and, if set, the
 * workers' CPU, and wants {@code ceil(workers x load / target)} workers. It scales up only to the
 * least it wanted during the whole {@code upWindow} (a burst must last), and down only to the most
 * it wanted during the whole {@code downWindow} (idleness must last longer than a lull); ignores
 * differences within 10% of the target; and after any change waits {@code cooldown}.
 *
 * @param min fewest workers (1..max)
 * @param max most workers; 0 turns autoscaling off
 * @param target load per worker to aim at: tasks in flight or waiting per unit of capacity (0.8:
 *     a worker of capacity 16 should hold about 13)
 * @param cpuTarget CPU per worker to aim at, in cores (1.0 = one core); 0 leaves CPU out
 * @param upWindow how long more workers must be wanted before the pool grows
 * @param downWindow how long fewer workers must be wanted before the pool shrinks
 * @param cooldown the least time between two changes
 */
public record AutoscaleSettings(
    int min, int max, double target, double cpuTarget, Duration upWindow, Duration downWindow, Duration cooldown) {

  /** Off. */
  public static final AutoscaleSettings OFF =
      new AutoscaleSettings(1, 0, 0.8, 0, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(15));

  /** Checks every setting; the message names the bad one and what it expected. */
  public AutoscaleSettings {
    SettingChecks.checkRange("autoscaleMax", max, 0, SettingChecks.MAX_WORKERS);
    if (max > 0) {
      SettingChecks.checkRange("autoscaleMin", min, 1, max);
    }
    if (!(target > 0 && target <= 100)) {
      throw new IllegalArgumentException("autoscaleTarget: " + target + " (expected: > 0 and <= 100)");
    }
    if (!(cpuTarget >= 0 && cpuTarget <= 1024)) {
      throw new IllegalArgumentException("autoscaleCpu: " + cpuTarget + " (expected: 0..1024 cores, 0 = off)");
    }
    SettingChecks.checkDuration("autoscaleUpWindow", upWindow);
    SettingChecks.checkDuration("autoscaleDownWindow", downWindow);
    SettingChecks.checkDuration("autoscaleCooldown", cooldown);
  }

  /** Whether the master sizes its pool by itself. */
  public boolean enabled() {
    return max > 0;
  }
}
