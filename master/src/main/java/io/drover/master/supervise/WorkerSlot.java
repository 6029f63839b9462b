package io.drover.master.supervise;

/** One worker position in the pool and the process currently filling it. */
final class WorkerSlot {
  final int id;
  WorkerState state = WorkerState.STOPPED;
  Process process;
  long pid = -1;
  long spawnedAtNanos;
  ProcessOutputPump stdout;
  ProcessOutputPump stderr;

  WorkerSlot(int id) {
    this.id = id;
  }

  @Override
  public String toString() {
    return "worker " + id + " (pid " + pid + ")";
  }
}
