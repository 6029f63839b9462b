package io.drover.master.internal.logging;

/**
 * Which lines of a {@link LogRing} a reader wants: all of them, the master's own, or one worker
 * slot's (whatever its process, across restarts).
 *
 * @param workerId the worker slot, {@link LogLine#MASTER} for the master's lines, or {@link #ANY}
 */
public record LogFilter(int workerId) {
  /** The {@link #workerId} that matches every line. */
  public static final int ANY = -1;
  /** Every line. */
  public static final LogFilter ALL = new LogFilter(ANY);
  /** The master's own lines. */
  public static final LogFilter MASTER = new LogFilter(LogLine.MASTER);

  /** Checks the id. */
  public LogFilter {
    if (workerId < ANY) {
      throw new IllegalArgumentException("workerId: " + workerId + " (expected: >= " + ANY + ")");
    }
  }

  /** The lines of worker slot {@code id} (1-based). */
  public static LogFilter worker(int id) {
    if (id < 1) {
      throw new IllegalArgumentException("id: " + id + " (expected: > 0)");
    }
    return new LogFilter(id);
  }

  /** Whether {@code line} is one of those wanted. */
  public boolean matches(LogLine line) {
    return workerId == ANY || line.workerId() == workerId;
  }
}
