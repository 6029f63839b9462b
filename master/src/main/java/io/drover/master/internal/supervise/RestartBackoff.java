package io.drover.master.internal.supervise;

import io.drover.master.config.SupervisionSettings;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * When to restart one slot's worker after it exits unexpectedly: the first restart at once, then
 * exponential backoff with jitter up to a cap; the streak resets once a worker stays up long
 * enough; more than a threshold of crashes within a window is a crash loop (restarts go on, at
 * the cap). Pure bookkeeping over the times it is given, so it is tested without waiting.
 */
final class RestartBackoff {
  private SupervisionSettings settings;
  private final SplittableRandom random;
  private final ArrayDeque<Long> crashTimes = new ArrayDeque<>();
  private int streak;

  RestartBackoff(SupervisionSettings settings, SplittableRandom random) {
    this.settings = settings;
    this.random = random;
  }

  /** Uses {@code next}'s delays and thresholds from now on (a reload); the crashes seen stay counted. */
  void settings(SupervisionSettings next) {
    this.settings = next;
  }

  /**
   * Records a crash at {@code nowNanos} of a worker that had been up for {@code uptimeNanos}.
   *
   * @return the delay before the next start, in nanoseconds
   */
  long onCrash(long nowNanos, long uptimeNanos) {
    if (uptimeNanos >= settings.restartResetAfter().toNanos()) {
      streak = 0;
    }
    streak++;
    crashTimes.addLast(nowNanos);
    long window = settings.crashLoopWindow().toNanos();
    while (!crashTimes.isEmpty() && nowNanos - crashTimes.peekFirst() > window) {
      crashTimes.removeFirst();
    }
    long cap = settings.restartBackoffMax().toNanos();
    if (inCrashLoop()) {
      return cap;
    }
    if (streak == 1) {
      return 0;
    }
    // initial × 2^(streak - 2), capped, then "equal jitter": half fixed, half random, so
    // slots that crashed together do not restart together.
    long base = settings.restartBackoffInitial().toNanos();
    int shift = Math.min(streak - 2, 30);
    long delay = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
    return delay / 2 + random.nextLong(delay / 2 + 1);
  }

  /** Whether more crashes than the threshold fell within the window. */
  boolean inCrashLoop() {
    return crashTimes.size() > settings.crashLoopThreshold();
  }

  /** Crashes within the window. */
  int recentCrashes() {
    return crashTimes.size();
  }
}
