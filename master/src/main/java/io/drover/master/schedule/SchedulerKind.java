package io.drover.master.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/** The placement strategies a master can run with, by the name its settings use. */
public enum SchedulerKind {
  /** {@link LeastLoadedScheduler}, the default. */
  LEAST_LOADED("least-loaded", LeastLoadedScheduler::new),
  /** {@link PowerOfTwoChoicesScheduler}. */
  P2C("p2c", PowerOfTwoChoicesScheduler::new),
  /** {@link RoundRobinScheduler}. */
  ROUND_ROBIN("round-robin", RoundRobinScheduler::new),
  /** {@link ConsistentHashScheduler}, on the task's routing key. */
  CONSISTENT_HASH("consistent-hash", ConsistentHashScheduler::new),
  /** {@link WeightedScheduler}, from the workers' heartbeat load reports. */
  WEIGHTED("weighted", WeightedScheduler::new),
  /** {@link PeakEwmaScheduler}, the latency-aware variant. */
  PEAK_EWMA("peak-ewma", PeakEwmaScheduler::new);

  private final String settingName;
  private final Supplier<Scheduler> factory;

  SchedulerKind(String settingName, Supplier<Scheduler> factory) {
    this.settingName = settingName;
    this.factory = factory;
  }

  /** The name used in settings and on the command line. */
  public String settingName() {
    return settingName;
  }

  /** A new scheduler of this kind. */
  public Scheduler create() {
    return factory.get();
  }

  /**
   * The kind named {@code name}.
   *
   * @throws IllegalArgumentException naming the choices when there is none
   */
  public static SchedulerKind of(String name) {
    for (SchedulerKind k : values()) {
      if (k.settingName.equals(name.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "scheduler: '" + name + "' (expected one of "
            + Arrays.stream(values()).map(SchedulerKind::settingName).toList() + ")");
  }

  @Override
  public String toString() {
    return settingName;
  }
}
