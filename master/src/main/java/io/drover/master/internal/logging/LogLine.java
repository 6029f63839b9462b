package io.drover.master.internal.logging;

/**
 * One line of the master's log or of a worker's output, as {@link LogRing} keeps it.
 *
 * @param seq its place in the ring's sequence (1 for the first line appended, one more for each)
 * @param epochMillis when it was logged or read from the worker's pipe
 * @param workerId the worker slot whose output it is, or {@link #MASTER} for the master's own log
 * @param pid the worker process's id, or the master's
 * @param stderr the line came from the worker's standard error (always false for the master)
 * @param level the master's log level ({@code INFO}, {@code WARN}, ...); {@code INFO} for a
 *     worker's stdout and {@code WARN} for its stderr, as the master's log has them
 * @param text the line without its line break, cut at {@link LogRing#MAX_LINE_CHARS}
 */
public record LogLine(long seq, long epochMillis, int workerId, long pid, boolean stderr, String level, String text) {
  /** The {@link #workerId} of the master's own lines. */
  public static final int MASTER = 0;

  /** Whether this is a line of the master's own log. */
  public boolean fromMaster() {
    return workerId == MASTER;
  }
}
