package io.drover.master.internal.schedule;

/** What a scheduler may know about a worker. */
public interface Schedulable {
  /** Tasks sent to the worker and not yet answered. */
  int outstanding();

  /** Tasks the worker runs at once, as it advertised when it registered. */
  int capacity();

  /** Most tasks the master lets this worker hold; a scheduler never exceeds it. */
  int inFlightCap();

  /** Whether the worker takes new tasks (false while it drains or after it is gone). */
  boolean acceptsTasks();

  /** A stable identity for key-affine placement (the worker's slot id). */
  default int workerId() {
    return 0;
  }

  /** The worker's CPU use as its last heartbeat reported it, 0..1 (0 when unknown). */
  default double cpuLoad() {
    return 0;
  }

  /** The worker's heap in use as a fraction of its maximum, 0..1 (0 when unknown). */
  default double memoryLoad() {
    return 0;
  }

  /**
   * A peak-sensitive moving average of the worker's service time (dispatch to result), in
   * nanoseconds: it jumps up at once to a slower sample and decays slowly, so a worker in a GC
   * pause looks slow right away. 0 before the first result.
   */
  default double serviceTimeNanos() {
    return 0;
  }
}
