package io.drover.master.internal.schedule;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Power of two choices: samples two eligible workers at random and takes the one with fewer
 * outstanding tasks relative to its capacity. Nearly as good as a full least-loaded scan, in
 * constant time, and stable when several event loops decide in parallel from slightly stale
 * counts (they rarely all pick the same worker).
 */
public final class PowerOfTwoChoicesScheduler implements Scheduler {
  private final SplittableRandom random;

  /** Creates a scheduler with a random seed. */
  public PowerOfTwoChoicesScheduler() {
    this(new SplittableRandom());
  }

  /** Creates a scheduler whose samples follow {@code random} (for tests). */
  public PowerOfTwoChoicesScheduler(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public <W extends Schedulable> W pick(List<W> candidates, long routingHash) {
    int n = candidates.size();
    if (n == 0) {
      return null;
    }
    W a = sample(candidates, n);
    W b = sample(candidates, n);
    if (a == null || b == null) {
      // Few eligible workers: fall back to a scan so that a free one is always found.
      return new LeastLoadedScheduler(random).pick(candidates, routingHash);
    }
    long lhs = (long) a.outstanding() * b.capacity();
    long rhs = (long) b.outstanding() * a.capacity();
    return lhs <= rhs ? a : b;
  }

  private <W extends Schedulable> W sample(List<W> candidates, int n) {
    for (int tries = 0; tries < 4; tries++) {
      W w = candidates.get(random.nextInt(n));
      if (Scheduler.eligible(w)) {
        return w;
      }
    }
    return null;
  }
}
