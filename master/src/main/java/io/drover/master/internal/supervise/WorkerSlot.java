package io.drover.master.internal.supervise;

import io.drover.master.status.WorkerState;

import java.util.concurrent.ScheduledFuture;

/** One worker position in the pool and the process filling it. Owned by the supervisor thread. */
final class WorkerSlot {
  final int id;
  RestartBackoff backoff;
  final RotatingLogFile logFile;
  WorkerState state = WorkerState.STOPPED;
  Process process;
  long pid = -1;
  long spawnedAtNanos;
  /** When its last heartbeat (or its registration) reached the supervisor; forgiven stalls move it on. */
  long lastHeartbeatNanos;
  boolean killing;
  /** Why the supervisor killed the current process (start or heartbeat timeout); null if it did not. */
  String killedBecause;
  /** The restart reason that goes with {@link #killedBecause}. */
  RestartReason killedFor;
  ScheduledFuture<?> startTimeout;
  /** Its stderr, whose last lines go into a crash report. */
  ProcessOutputPump stderr;
  /** Why its last process failed before registering; null once one registered. */
  String startFailure;
  /** A worker being recycled: it drains while its replacement ({@link #process}) takes over. */
  Process retiring;
  /** When it entered its current state. */
  long stateSinceNanos = System.nanoTime();
  /** Processes started for it after its first. */
  int restarts;
  boolean everStarted;
  /** How its last process ended (for status); null while none has. */
  WorkerSlotStatus.Exit lastExit;
  /**
   * Taken out of the pool by a scale-down: its process drains and is not replaced, and it counts
   * no more as a worker once that process is gone. A scale-up may take the slot (its id) again.
   */
  boolean removed;
  /** The limits its current process runs with, as the launcher enforces them ({@code "none"}). */
  String limits = "none";

  WorkerSlot(int id, RestartBackoff backoff, RotatingLogFile logFile) {
    this.id = id;
    this.backoff = backoff;
    this.logFile = logFile;
  }

  @Override
  public String toString() {
    return "worker " + id + " (pid " + pid + ")";
  }
}
