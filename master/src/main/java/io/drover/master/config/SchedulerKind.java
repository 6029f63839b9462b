package io.drover.master.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * The placement strategies a master can run with, by the name its settings use ({@code
 * --scheduler}). The strategies themselves are internal; see docs/ARCHITECTURE.md.
 */
public enum SchedulerKind {
  /** Fewest outstanding tasks relative to capacity, never past the in-flight cap; the default. */
  LEAST_LOADED("least-loaded"),
  /** Power of two choices. */
  P2C("p2c"),
  /** Each worker in turn. */
  ROUND_ROBIN("round-robin"),
  /** Rendezvous hashing on the task's routing key, with bounded load. */
  CONSISTENT_HASH("consistent-hash"),
  /** Weighted by the workers' heartbeat load reports. */
  WEIGHTED("weighted"),
  /** Power of two choices on a peak-sensitive moving average of service time. */
  PEAK_EWMA("peak-ewma");

  private final String settingName;

  SchedulerKind(String settingName) {
    this.settingName = settingName;
  }

  /** The name used in settings and on the command line. */
  public String settingName() {
    return settingName;
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
