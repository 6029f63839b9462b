package io.drover.master.internal.supervise;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A rolling restart in progress: the slots still to replace, one at a time, and the one being
 * replaced now. A slot's replacement starts beside its worker, which drains only once the
 * replacement is ready, so the pool never serves with fewer workers. Owned by the supervisor
 * thread.
 */
final class Rollout {
  /** Why the workers are replaced, for the log and status. */
  final String reason;
  final int total;
  private final ArrayDeque<WorkerSlot> todo;
  /**
   * The launcher the workers ran with before, put back if the rollout stops; null when the
   * rollout started no new one.
   */
  final WorkerLauncher previous;
  final CompletableFuture<String> done = new CompletableFuture<>();
  /** The slot whose replacement is starting, or null between two. */
  WorkerSlot current;
  int replaced;

  Rollout(String reason, List<WorkerSlot> slots, WorkerLauncher previous) {
    this.reason = reason;
    this.total = slots.size();
    this.todo = new ArrayDeque<>(slots);
    this.previous = previous;
  }

  /** The next slot to replace, or null when none is left. */
  WorkerSlot next() {
    return todo.poll();
  }

  /** {@code "2 of 3 workers replaced"}. */
  String progress() {
    return replaced + " of " + total + (total == 1 ? " worker" : " workers") + " replaced";
  }
}
