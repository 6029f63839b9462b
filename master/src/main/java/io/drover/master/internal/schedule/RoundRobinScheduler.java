package io.drover.master.internal.schedule;

import java.util.List;

/**
 * Takes the workers in turn, skipping any that is full or not accepting tasks. Blind to load: a
 * slow worker gets as many tasks as a fast one until its in-flight cap stops it.
 */
public final class RoundRobinScheduler implements Scheduler {
  private int next;

  @Override
  public <W extends Schedulable> W pick(List<W> candidates, long routingHash) {
    int n = candidates.size();
    for (int i = 0; i < n; i++) {
      W w = candidates.get(Math.floorMod(next + i, n));
      if (Scheduler.eligible(w)) {
        next = Math.floorMod(next + i + 1, n);
        return w;
      }
    }
    return null;
  }
}
