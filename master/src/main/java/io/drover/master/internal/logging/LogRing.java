package io.drover.master.internal.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The last lines of the master's log and of its workers' output, in memory, for {@code GET /logs}
 * and {@code drover logs}: at most {@code maxLines} lines and {@code maxChars} characters of text,
 * the oldest dropped first.
 *
 * <p>Written by many threads (the worker output pumps, every thread that logs) and read by the
 * admin loop, so it is guarded by its own monitor, held only to store or copy references: an
 * append never waits for a reader's I/O. Readers that follow new lines are not called from the
 * writer's thread: the first append after a wake-up hands one task to the reader's executor
 * ({@link #wakeOnAppend}), and the lines appended until that task runs are read in one batch.
 * Nothing on the task path writes here.
 */
public final class LogRing {
  /** Lines kept by default. */
  public static final int DEFAULT_MAX_LINES = 2_000;
  /** Characters of text kept by default (about 2 MiB), whatever the number of lines. */
  public static final long DEFAULT_MAX_CHARS = 1L << 20;
  /** A longer line is cut to this many characters and says how many it lost. */
  public static final int MAX_LINE_CHARS = 4_096;
  /**
   * The logger the worker output pumps write to the master's log through; its events are not
   * taken from the log again, the pumps append their lines here themselves, with the worker's id.
   */
  public static final String WORKER_OUTPUT_LOGGER = "drover.worker";

  /** Lines read in one go. */
  public record Batch(List<LogLine> lines, long nextSeq, long missed) {
    /**
     * @param lines the lines wanted, oldest first
     * @param nextSeq the sequence number of the next line to read
     * @param missed how many lines (of any source) were dropped from the ring before they could be
     *     read
     */
    public Batch {
      lines = Collections.unmodifiableList(lines);
    }
  }

  private final LogLine[] ring;
  private final long maxChars;
  private final Runnable wake = this::woken;
  /** Index of the oldest line. */
  private int head;
  private int size;
  private long chars;
  private long nextSeq = 1;
  private Executor wakeExecutor;
  private Runnable wakeTask;
  /** A wake-up is handed to {@link #wakeExecutor} and has not run yet. */
  private boolean wakePending;

  /** A ring of at most {@code maxLines} lines and {@code maxChars} characters of text. */
  public LogRing(int maxLines, long maxChars) {
    if (maxLines < 1) {
      throw new IllegalArgumentException("maxLines: " + maxLines + " (expected: > 0)");
    }
    if (maxChars < MAX_LINE_CHARS) {
      throw new IllegalArgumentException("maxChars: " + maxChars + " (expected: >= " + MAX_LINE_CHARS + ")");
    }
    this.ring = new LogLine[maxLines];
    this.maxChars = maxChars;
  }

  /** A ring of the default size. */
  public LogRing() {
    this(DEFAULT_MAX_LINES, DEFAULT_MAX_CHARS);
  }

  /** The most lines it keeps. */
  public int maxLines() {
    return ring.length;
  }

  /** Appends a line of worker slot {@code workerId}'s output ({@code pid}), read now. */
  public void appendWorkerLine(int workerId, long pid, boolean stderr, String text) {
    append(System.currentTimeMillis(), workerId, pid, stderr, stderr ? "WARN" : "INFO", text);
  }

  /** Appends a line; see {@link LogLine} for the fields. */
  public void append(long epochMillis, int workerId, long pid, boolean stderr, String level, String text) {
    String cut = cut(text);
    Executor toWake;
    synchronized (this) {
      while (size > 0 && (size == ring.length || chars + cut.length() > maxChars)) {
        chars -= ring[head].text().length();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
      }
      ring[(head + size) % ring.length] = new LogLine(nextSeq++, epochMillis, workerId, pid, stderr, level, cut);
      size++;
      chars += cut.length();
      toWake = wakeTask != null && !wakePending ? wakeExecutor : null;
      wakePending |= toWake != null;
    }
    if (toWake != null) {
      try {
        toWake.execute(wake);
      } catch (RejectedExecutionException e) {
        // The reader's loop is shutting down: nobody is left to wake.
        synchronized (this) {
          wakePending = false;
        }
      }
    }
  }

  /** The last {@code n} lines that {@code filter} matches, oldest first. */
  public synchronized Batch last(int n, LogFilter filter) {
    if (n < 0) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
    }
    List<LogLine> found = new ArrayList<>(Math.min(n, size));
    for (int i = size - 1; i >= 0 && found.size() < n; i--) {
      LogLine line = ring[(head + i) % ring.length];
      if (filter.matches(line)) {
        found.add(line);
      }
    }
    Collections.reverse(found);
    return new Batch(found, nextSeq, 0);
  }

  /** The lines from sequence number {@code seq} on that {@code filter} matches, oldest first. */
  public synchronized Batch since(long seq, LogFilter filter) {
    long oldest = nextSeq - size;
    long from = Math.max(seq, oldest);
    List<LogLine> found = new ArrayList<>((int) Math.max(0, Math.min(nextSeq - from, 64)));
    for (long s = from; s < nextSeq; s++) {
      LogLine line = ring[(int) ((head + (s - oldest)) % ring.length)];
      if (filter.matches(line)) {
        found.add(line);
      }
    }
    return new Batch(found, Math.max(seq, nextSeq), Math.max(0, oldest - seq));
  }

  /**
   * After each append, makes sure {@code task} runs on {@code executor} soon: once for all the
   * lines appended until it runs. Replaces the previous task.
   */
  public synchronized void wakeOnAppend(Executor executor, Runnable task) {
    wakeExecutor = executor;
    wakeTask = task;
  }

  /** Stops waking the task given to {@link #wakeOnAppend}. */
  public synchronized void stopWaking() {
    wakeExecutor = null;
    wakeTask = null;
  }

  private void woken() {
    Runnable task;
    synchronized (this) {
      wakePending = false;
      task = wakeTask;
    }
    if (task != null) {
      task.run();
    }
  }

  private static String cut(String text) {
    if (text.length() <= MAX_LINE_CHARS) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(MAX_LINE_CHARS - 1)) ? MAX_LINE_CHARS - 1 : MAX_LINE_CHARS;
    return text.substring(0, end) + " [... " + (text.length() - end) + " more characters]";
  }
}
