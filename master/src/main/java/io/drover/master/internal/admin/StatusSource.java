package io.drover.master.internal.admin;

import java.util.concurrent.CompletableFuture;

/**
 * Where the admin endpoint gets the master's state: a snapshot gathered from the threads that own
 * it (the dispatch loop, the supervisor thread), each asked with an {@code execute}, never a lock.
 */
@FunctionalInterface
public interface StatusSource {
  /** The master's state now; completes on whichever owner answers last. */
  CompletableFuture<StatusSnapshot> snapshot();
}
