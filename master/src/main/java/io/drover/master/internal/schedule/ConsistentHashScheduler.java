package io.drover.master.internal.schedule;

import java.util.List;

/**
 * Sends tasks with the same routing key to the same worker (rendezvous hashing: each worker
 * scores {@code hash(key, workerId)} and the highest score wins), so per-key caches in handlers
 * stay warm. Adding or removing one of N workers moves only the keys whose winner changed, about
 * 1/N of them. With bounded load: a worker more than {@code loadFactor} times the average load
 * (and beyond its own capacity) is skipped for the next-best score, so one hot key cannot overload
 * its worker. Tasks that had to wait in the master for a free worker go to the first worker with
 * room, so affinity holds while the key's worker has room, and yields under overload. Tasks without a key
 * go to the least-loaded worker.
 */
public final class ConsistentHashScheduler implements Scheduler {
  /** Default bound: at most 25% above the average load. */
  public static final double DEFAULT_LOAD_FACTOR = 1.25;

  private final double loadFactor;
  private final LeastLoadedScheduler unkeyed = new LeastLoadedScheduler();

  /** Creates a scheduler with the default load bound. */
  public ConsistentHashScheduler() {
    this(DEFAULT_LOAD_FACTOR);
  }

  /** Creates a scheduler that skips workers above {@code loadFactor} × the average load. */
  public ConsistentHashScheduler(double loadFactor) {
    if (!(loadFactor >= 1)) {
      throw new IllegalArgumentException("loadFactor: " + loadFactor + " (expected: >= 1)");
    }
    this.loadFactor = loadFactor;
  }

  @Override
  public <W extends Schedulable> W pick(List<W> candidates, long routingHash) {
    if (routingHash == 0) {
      return unkeyed.pick(candidates, 0);
    }
    int n = candidates.size();
    long total = 0;
    int live = 0;
    for (int i = 0; i < n; i++) {
      W w = candidates.get(i);
      if (w.acceptsTasks()) {
        total += w.outstanding();
        live++;
      }
    }
    if (live == 0) {
      return null;
    }
    // Bound on a worker's outstanding tasks, counting the one being placed.
    double bound = Math.max(1, Math.ceil(loadFactor * (total + 1) / live));
    W best = null;
    long bestScore = 0;
    for (int i = 0; i < n; i++) {
      W w = candidates.get(i);
      // A worker below its own capacity is never "overloaded": with few tasks in flight the
      // average-based bound alone would scatter keys for no gain.
      if (!Scheduler.eligible(w) || w.outstanding() + 1 > Math.max(bound, w.capacity())) {
        continue;
      }
      long score = mix(routingHash ^ (0x9E3779B97F4A7C15L * (w.workerId() + 1)));
      if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
        best = w;
        bestScore = score;
      }
    }
    return best;
  }

  /** A strong 64-bit finaliser (SplitMix64), so scores of nearby ids are independent. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
