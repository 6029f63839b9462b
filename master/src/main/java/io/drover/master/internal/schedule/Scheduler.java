package io.drover.master.internal.schedule;

import java.util.List;

/**
 * Chooses the worker for the next task. Called on the dispatch event loop only, once per
 * dispatch, so implementations must be cheap and must not allocate.
 */
public interface Scheduler {
  /**
   * Picks one of {@code candidates} that accepts tasks and is below its in-flight cap.
   *
   * @param routingHash a hash of the task's routing key, or 0 when it has none; only
   *     key-affine strategies use it
   * @return the chosen worker, or {@code null} when every candidate is full or unavailable
   */
  <W extends Schedulable> W pick(List<W> candidates, long routingHash);

  /** Picks for a task without a routing key. */
  default <W extends Schedulable> W pick(List<W> candidates) {
    return pick(candidates, 0);
  }

  /**
   * Whether this strategy reads {@link Schedulable#serviceTimeNanos()}; when none does, the
   * dispatcher skips timing each task (two clock reads per task).
   */
  default boolean usesServiceTime() {
    return false;
  }

  /** Whether a worker can take one more task now. */
  static boolean eligible(Schedulable w) {
    return w.acceptsTasks() && w.outstanding() < w.inFlightCap();
  }
}
