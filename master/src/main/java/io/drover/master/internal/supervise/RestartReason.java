package io.drover.master.internal.supervise;

import java.util.Locale;

/**
 * Why a worker slot's process was replaced: the bounded set of values of the {@code reason}
 * label of {@code drover_worker_restarts_total}.
 */
public enum RestartReason {
  /** It exited (or was killed) without being asked to. */
  CRASH,
  /** It sent no heartbeat for the heartbeat timeout and was killed. */
  HUNG,
  /** It did not register within the start timeout and was killed. */
  START_TIMEOUT,
  /** It was recycled (task limit reached, or a handler stuck after a cancel). */
  RECYCLED,
  /** It drained by itself (SIGTERM from outside, say) and was started again. */
  DRAINED,
  /** The kernel killed it for going over its memory limit (its cgroup's OOM kill count rose). */
  MEMORY_LIMIT;

  /** The label value: the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
