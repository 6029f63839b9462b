package io.drover.master.internal.supervise;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker process this master spawned, as both the dispatch loop and the supervisor thread see
 * it: the slot it fills, and the one question the two threads must answer alike — did it register
 * before its start timeout fired? The first of the two to claim the answer wins: a registration
 * after the timeout is refused, and a timeout after the registration does nothing, so the
 * dispatcher never sends tasks to a worker the supervisor is killing for not registering.
 */
final class SpawnedWorker {
  private static final int STARTING = 0;
  private static final int REGISTERED = 1;
  private static final int TIMED_OUT = 2;

  final int slotId;
  /** What started it: its class-data archive hears of its registration and exit. */
  final WorkerLauncher launcher;
  private final AtomicInteger phase = new AtomicInteger(STARTING);

  SpawnedWorker(int slotId, WorkerLauncher launcher) {
    this.slotId = slotId;
    this.launcher = launcher;
  }

  /**
   * Claims the registration; called on the dispatch loop.
   *
   * @return {@code null} if it is accepted, or why not
   */
  String register() {
    if (phase.compareAndSet(STARTING, REGISTERED)) {
      return null;
    }
    return phase.get() == TIMED_OUT ? "it did not register within the start timeout" : "it has registered already";
  }

  /** Claims the start timeout; called on the supervisor thread. False if it registered first. */
  boolean timeOut() {
    return phase.compareAndSet(STARTING, TIMED_OUT);
  }
}
