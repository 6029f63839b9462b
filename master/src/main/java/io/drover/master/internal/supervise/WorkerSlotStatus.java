package io.drover.master.internal.supervise;

/**
 * One worker slot as the supervisor sees it at one moment, for the admin endpoint. Immutable.
 *
 * @param id the slot (1-based)
 * @param pid its live process, or -1 when it has none
 * @param state where the slot is in its life
 * @param nanosInState how long it has been in that state
 * @param restarts processes started for it after its first (crashes, recycling, drains)
 * @param lastExit how its last process ended, or null while none has
 * @param heartbeatAgeNanos time since its last heartbeat (or registration) while READY or
 *     DRAINING, else -1
 * @param limits the resource limits its process runs with and how each is enforced ({@code
 *     "memory 256 MiB (cgroup v1 memory.limit_in_bytes)"}), {@code "none"} without any
 */
public record WorkerSlotStatus(
    int id,
    long pid,
    io.drover.master.status.WorkerState state,
    long nanosInState,
    int restarts,
    Exit lastExit,
    long heartbeatAgeNanos,
    String limits) {

  /**
   * How a worker process ended.
   *
   * @param pid the process
   * @param exitCode its exit code, or -1 when a signal killed it
   * @param signal the signal that killed it, or 0
   * @param reason why, as the supervisor logged it
   */
  public record Exit(long pid, int exitCode, int signal, String reason) {
    static Exit of(long pid, int code, String reason) {
      // The JDK reports a process killed by signal N as exit code 128 + N.
      return code > 128 ? new Exit(pid, -1, code - 128, reason) : new Exit(pid, code, 0, reason);
    }
  }
}
