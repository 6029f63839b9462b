package io.drover.master.config;

import io.drover.protocol.HumanUnits;
import java.time.Duration;
import java.util.Objects;

/**
 * How many tasks the master lets one worker hold, running or queued inside it: an adaptive limit
 * (the default) or a fixed cap.
 *
 * <p>The adaptive limit lets each worker hold as many tasks as it can take without a task waiting
 * inside it much longer than the worker's round trip without load: it grows while the round trip
 * stays within {@link #queueDelay} of the quickest one the worker has shown, and shrinks in
 * proportion when it does not. Quick tasks (an echo takes microseconds) so get deep pipelines
 * that amortise every system call over hundreds of tasks, while slow ones (a 100 ms task) get
 * about the worker's capacity, so that they wait in the master — where any worker that frees a
 * thread takes them, by priority and in turn by connection — rather than behind each other inside
 * one worker. It never goes below the worker's capacity or above {@link #adaptiveMax}. See
 * docs/ARCHITECTURE.md, "Adaptive in-flight limit".
 *
 * @param fixedCap the cap every worker gets; {@link #ADAPTIVE} (0) for the adaptive limit
 * @param adaptiveMax the most tasks the adaptive limit lets a worker hold
 * @param queueDelay how much longer than the worker's quickest round trip a task may take, on
 *     average, before the adaptive limit shrinks
 * @param probeInterval how often the adaptive limit drops to the worker's capacity for a moment
 *     to measure its round trip without load anew (a task mix that got quicker is seen at once;
 *     one that got slower at the next probe)
 */
public record InFlightLimit(int fixedCap, int adaptiveMax, Duration queueDelay, Duration probeInterval) {
  /** {@link #fixedCap} of the adaptive limit. */
  public static final int ADAPTIVE = 0;
  /** The shortest {@link #queueDelay}; declared before {@link #DEFAULT}, which needs it. */
  private static final Duration MIN_QUEUE_DELAY = Duration.ofNanos(10_000);
  /** Default of {@link #adaptiveMax}. */
  public static final int DEFAULT_ADAPTIVE_MAX = 1024;
  /** Default of {@link #queueDelay}. */
  public static final Duration DEFAULT_QUEUE_DELAY = Duration.ofMillis(1);
  /** Default of {@link #probeInterval}. */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);
  /** The adaptive limit with its defaults. */
  public static final InFlightLimit DEFAULT =
      new InFlightLimit(ADAPTIVE, DEFAULT_ADAPTIVE_MAX, DEFAULT_QUEUE_DELAY, DEFAULT_PROBE_INTERVAL);

  /** Validates the settings; the message names the bad one and the range it expected. */
  public InFlightLimit {
    if (fixedCap != ADAPTIVE) {
      SettingChecks.checkPositive("maxInFlightPerWorker", fixedCap, SettingChecks.MAX_TASKS);
    }
    SettingChecks.checkPositive("adaptiveInFlightMax", adaptiveMax, SettingChecks.MAX_TASKS);
    Objects.requireNonNull(queueDelay, "queueDelay");
    if (queueDelay.compareTo(MIN_QUEUE_DELAY) < 0 || queueDelay.compareTo(SettingChecks.MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "adaptiveQueueDelay: " + HumanUnits.duration(queueDelay) + " (expected: "
              + HumanUnits.duration(MIN_QUEUE_DELAY) + ".." + HumanUnits.duration(SettingChecks.MAX_DURATION) + ")");
    }
    SettingChecks.checkDuration("probeInterval", probeInterval);
  }

  /** A fixed cap of {@code cap} tasks per worker (the adaptive settings keep their defaults). */
  public static InFlightLimit fixed(int cap) {
    return new InFlightLimit(cap, DEFAULT_ADAPTIVE_MAX, DEFAULT_QUEUE_DELAY, DEFAULT_PROBE_INTERVAL);
  }

  /** Whether the limit adapts (else every worker gets {@link #fixedCap}). */
  public boolean adaptive() {
    return fixedCap == ADAPTIVE;
  }

  /** This limit with a fixed cap of {@code cap}, or adaptive for {@link #ADAPTIVE}. */
  public InFlightLimit withFixedCap(int cap) {
    return new InFlightLimit(cap, adaptiveMax, queueDelay, probeInterval);
  }

  /** This limit, adaptive up to {@code max} with {@code queueDelay}. */
  public InFlightLimit withAdaptive(int max, Duration queueDelay) {
    return new InFlightLimit(fixedCap, max, queueDelay, probeInterval);
  }

  /** The setting's value as the configuration shows it: {@code auto} or the cap. */
  public String settingValue() {
    return adaptive() ? "auto" : Integer.toString(fixedCap);
  }
}
