package io.drover.master.internal.schedule;

import io.drover.master.config.SchedulerKind;

/** Creates the {@link Scheduler} a {@link SchedulerKind} setting names. */
public final class Schedulers {
  private Schedulers() {}

  /** A new scheduler of {@code kind}. */
  public static Scheduler create(SchedulerKind kind) {
    return switch (kind) {
      case LEAST_LOADED -> new LeastLoadedScheduler();
      case P2C -> new PowerOfTwoChoicesScheduler();
      case ROUND_ROBIN -> new RoundRobinScheduler();
      case CONSISTENT_HASH -> new ConsistentHashScheduler();
      case WEIGHTED -> new WeightedScheduler();
      case PEAK_EWMA -> new PeakEwmaScheduler();
    };
  }
}
