package io.drover.master.schedule;

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
}
