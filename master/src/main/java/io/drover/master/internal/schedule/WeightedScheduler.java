package io.drover.master.internal.schedule;

import java.util.List;

/**
 * Picks the worker with the best score from its own load reports (heartbeats):
 * {@code 0.5·(1−cpu) + 0.3·(1−mem) + 0.2·(1−min(queue/100, 1))}, where queue is the tasks it
 * holds. Useful when workers differ in what else loads them (other tenants, GC, native memory),
 * which outstanding counts alone do not show. Ties go to the lower outstanding/capacity ratio.
 */
public final class WeightedScheduler implements Scheduler {
  @Override
  public <W extends Schedulable> W pick(List<W> candidates, long routingHash) {
    W best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0, n = candidates.size(); i < n; i++) {
      W w = candidates.get(i);
      if (!Scheduler.eligible(w)) {
        continue;
      }
      double s = score(w);
      if (s > bestScore
          || (s == bestScore
              && (long) w.outstanding() * best.capacity() < (long) best.outstanding() * w.capacity())) {
        best = w;
        bestScore = s;
      }
    }
    return best;
  }

  /** The score of {@code w}: higher is better. */
  static double score(Schedulable w) {
    double queue = Math.min(w.outstanding() / 100.0, 1);
    return 0.5 * (1 - clamp(w.cpuLoad())) + 0.3 * (1 - clamp(w.memoryLoad())) + 0.2 * (1 - queue);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
