package io.drover.master.internal.schedule;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks the worker with the fewest outstanding tasks relative to its capacity, never one at its
 * in-flight cap, breaking ties at random so equal workers share the load evenly. The master sees
 * every dispatch and completion, so its counts are exact: no prefetching can leave a worker idle
 * while another has a queue.
 */
public final class LeastLoadedScheduler implements Scheduler {
  private final SplittableRandom random;

  /** Creates a scheduler with a random seed. */
  public LeastLoadedScheduler() {
    this(new SplittableRandom());
  }

  /** Creates a scheduler whose tie-breaks follow {@code random} (for tests). */
  public LeastLoadedScheduler(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public <W extends Schedulable> W pick(List<W> candidates, long routingHash) {
    W best = null;
    int ties = 0;
    for (int i = 0, n = candidates.size(); i < n; i++) {
      W w = candidates.get(i);
      if (!w.acceptsTasks() || w.outstanding() >= w.inFlightCap()) {
        continue;
      }
      if (best == null) {
        best = w;
        ties = 1;
        continue;
      }
      // Compare outstanding/capacity without dividing: a.out * b.cap vs b.out * a.cap.
      long lhs = (long) w.outstanding() * best.capacity();
      long rhs = (long) best.outstanding() * w.capacity();
      if (lhs < rhs) {
        best = w;
        ties = 1;
      } else if (lhs == rhs && random.nextInt(++ties) == 0) {
        // Reservoir sampling keeps each of the tied workers with equal probability.
        best = w;
      }
    }
    return best;
  }

  /**
   * The worker taking tasks with the fewest outstanding, whatever its in-flight cap (the first of
   * equals); null when none takes tasks. For choosing a worker to reserve, not for placing a task.
   */
  public static <W extends Schedulable> W fewestOutstanding(List<W> candidates) {
    W best = null;
    for (int i = 0, n = candidates.size(); i < n; i++) {
      W w = candidates.get(i);
      if (w.acceptsTasks() && (best == null || w.outstanding() < best.outstanding())) {
        best = w;
      }
    }
    return best;
  }
}
