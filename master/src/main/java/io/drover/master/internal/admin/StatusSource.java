package io.drover.master.internal.admin;

import io.drover.master.internal.metrics.MasterMetrics;
import java.util.concurrent.CompletableFuture;

/**
 * Where the admin endpoint gets the master's state: a snapshot gathered from the threads that own
 * it (the dispatch loop, the supervisor thread), each asked with an {@code execute}, never a lock.
 */
@FunctionalInterface
public interface StatusSource {
  /** The master's state now; completes on whichever owner answers last. */
  CompletableFuture<StatusSnapshot> snapshot();

  /**
   * Copies of the counters that {@code GET /metrics} shows, each taken by its owner; completes on
   * whichever owner answers last. A source without metrics fails it (answered 500).
   */
  default CompletableFuture<MasterMetrics> metrics() {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("this master keeps no metrics"));
  }
}
