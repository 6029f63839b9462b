package io.drover.master.status;

/** Where a worker slot is in its life. Every change is logged with the worker's id and pid. */
public enum WorkerState {
  /** Its process was spawned and has not registered yet. */
  STARTING,
  /** Registered and taking tasks. */
  READY,
  /** Asked to finish its tasks and exit. */
  DRAINING,
  /** Waiting before its process is started again. */
  BACKING_OFF,
  /**
   * Crashed more often than the threshold within the window; restarts go on at the longest
   * backoff, and each is logged at error level.
   */
  CRASH_LOOP,
  /** No process, and none will be started. */
  STOPPED
}
