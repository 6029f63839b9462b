package io.drover.master.internal.dispatch;

import io.drover.protocol.proto.Status;

/**
 * What happened to the tasks of one type (or, beyond {@link TaskTypeTable#MAX_LABELLED_TYPES},
 * of every other type together): plain counters, written on the dispatch loop only, so that
 * counting costs the task path a few increments. Counts tasks of their own, not job subtasks
 * (a job is counted as one, by {@link JobCoordinator}).
 */
final class TaskStats {
  /**
   * Status numbers from 0 to this - 1 are counted apart; any other in the last slot. Taken from
   * the protocol's enum, so that a status added to it is counted under its own name.
   */
  static final int STATUS_SLOTS = highestStatus() + 2;

  /** The metric label: the type's name, or {@code "other"}. */
  final String label;
  /** Tasks accepted (known type, not refused at once). */
  long submitted;
  /** Tasks answered to their client, by status number. */
  final long[] completed = new long[STATUS_SLOTS];
  /** Tasks answered to nobody: their client disconnected first. */
  long dropped;
  /** From acceptance to the first dispatch to a worker. */
  final LatencyCounts queueWait = new LatencyCounts();
  /** From the last dispatch to a worker to its result. */
  final LatencyCounts run = new LatencyCounts();

  TaskStats(String label) {
    this.label = label;
  }

  void answered(int status) {
    completed[statusSlot(status)]++;
  }

  /** Where a status number is counted: itself, or the last slot when out of range. */
  static int statusSlot(int status) {
    return status >= 0 && status < STATUS_SLOTS - 1 ? status : STATUS_SLOTS - 1;
  }

  private static int highestStatus() {
    int highest = 0;
    for (Status s : Status.values()) {
      if (s != Status.UNRECOGNIZED) {
        highest = Math.max(highest, s.getNumber());
      }
    }
    return highest;
  }
}
