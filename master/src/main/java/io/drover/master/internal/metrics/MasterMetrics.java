package io.drover.master.internal.metrics;

import io.drover.master.internal.dispatch.DispatchMetrics;
import io.drover.master.internal.supervise.SupervisorMetrics;

/**
 * What one scrape shows of a master: copies of the counters, each taken on the thread that owns
 * them. Immutable.
 *
 * @param dispatch the dispatcher's, taken on the dispatch loop
 * @param supervisor the supervisor's, taken on its thread; null when there is none (inline mode):
 *     the worker-slot and restart metrics are then left out
 */
public record MasterMetrics(DispatchMetrics dispatch, SupervisorMetrics supervisor) {
  /** Checks that the dispatcher's copy is there. */
  public MasterMetrics {
    java.util.Objects.requireNonNull(dispatch, "dispatch");
  }
}
