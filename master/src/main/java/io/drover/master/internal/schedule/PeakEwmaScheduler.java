package io.drover.master.internal.schedule;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Latency-aware: power of two choices on the cost {@code serviceTime × (outstanding + 1)}, where
 * service time is each worker's peak-sensitive moving average (see {@link
 * Schedulable#serviceTimeNanos}). A worker in a GC pause or on a busy core looks slow at once and
 * is steered around until it recovers, as in Finagle's and Linkerd's balancers.
 */
public final class PeakEwmaScheduler implements Scheduler {
  private final SplittableRandom random = new SplittableRandom();
  private final LeastLoadedScheduler fallback = new LeastLoadedScheduler(random);

  @Override
  public <W extends Schedulable> W pick(List<W> candidates, long routingHash) {
    int n = candidates.size();
    if (n == 0) {
      return null;
    }
    W a = candidates.get(random.nextInt(n));
    W b = candidates.get(random.nextInt(n));
    if (!Scheduler.eligible(a) || !Scheduler.eligible(b)) {
      return fallback.pick(candidates, routingHash);
    }
    return cost(a) <= cost(b) ? a : b;
  }

  static double cost(Schedulable w) {
    // Before any result, assume 1 µs so that outstanding counts still separate workers.
    double latency = Math.max(w.serviceTimeNanos(), 1_000);
    return latency * (w.outstanding() + 1) / w.capacity();
  }

  @Override
  public boolean usesServiceTime() {
    return true;
  }
}
