package io.drover.master.internal.logging;

import io.drover.protocol.HumanUnits;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Lets through at most {@code burst} warnings per interval about one source (a connection, or the
 * connections of one server) and counts the rest; at the end of an interval in which it held some
 * back it logs one line: {@code suppressed 99,987 similar warnings from /127.0.0.1:5555 in the
 * last 1 s}. A client that sends a flood of bad frames thus costs the log a few lines a second
 * instead of one per frame, and the event loop never formats or writes the lines it suppresses.
 *
 * <p>Use it as a guard, so that a suppressed warning allocates nothing (not even its varargs):
 *
 * <pre>{@code
 * if (warnings.permit()) {
 *   log.warn("client {}: malformed request header: {}", address, e.getMessage());
 * }
 * }</pre>
 *
 * <p>Owned by one event loop: every method must be called on {@code executor}, which also runs the
 * summary at the end of each interval.
 */
public final class RateLimitedLog {
  /** Warnings let through per interval by {@link #of}. */
  public static final int DEFAULT_BURST = 5;
  /** The interval of {@link #of}. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final Logger log;
  private final Object source;
  private final int burst;
  private final long intervalNanos;
  private final EventExecutor executor;
  private final Ticker ticker;
  private final Runnable summarize = this::summarize;
  private long windowStart;
  private int permitted;
  private long suppressed;
  private ScheduledFuture<?> summary;

  /**
   * Creates a limiter whose summaries go to {@code log}.
   *
   * @param source what the warnings are about, named in the summary ({@code toString} is called
   *     only when a summary is logged)
   * @param burst warnings let through per interval
   * @param interval how long an interval lasts
   * @param executor the event loop that owns this limiter and runs its summaries
   * @param ticker the clock (the executor's, so that its scheduled summaries agree with it)
   */
  public RateLimitedLog(
      Logger log, Object source, int burst, Duration interval, EventExecutor executor, Ticker ticker) {
    if (burst <= 0) {
      throw new IllegalArgumentException("burst: " + burst + " (expected: > 0)");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + HumanUnits.duration(interval) + " (expected: > 0)");
    }
    this.log = log;
    this.source = source;
    this.burst = burst;
    this.intervalNanos = interval.toNanos();
    this.executor = executor;
    this.ticker = ticker;
    this.windowStart = ticker.nanoTime() - intervalNanos;
  }

  /** A limiter of {@value #DEFAULT_BURST} warnings a second about {@code source}, on {@code executor}. */
  public static RateLimitedLog of(Logger log, Object source, EventExecutor executor) {
    return new RateLimitedLog(log, source, DEFAULT_BURST, DEFAULT_INTERVAL, executor, Ticker.systemTicker());
  }

  /**
   * Whether the caller may log one more warning now. When not, the warning is counted for the
   * next summary; nothing is allocated.
   */
  public boolean permit() {
    assert executor.inEventLoop() : "RateLimitedLog used off its event loop";
    if (summary == null) {
      long now = ticker.nanoTime();
      if (now - windowStart >= intervalNanos) {
        windowStart = now;
        permitted = 0;
      }
      if (permitted < burst) {
        permitted++;
        return true;
      }
      // The first warning held back in this interval: summarize at its end.
      long delay = windowStart + intervalNanos - now;
      summary = executor.schedule(summarize, Math.max(delay, 0), TimeUnit.NANOSECONDS);
    }
    suppressed++;
    return false;
  }

  /** Warnings held back since the last summary. */
  public long suppressed() {
    return suppressed;
  }

  /**
   * Logs the summary of what was held back so far, if anything, without waiting for the end of
   * the interval; call it when the source goes away (the connection closed).
   */
  public void close() {
    if (summary != null) {
      summary.cancel(false);
      summarize();
    }
  }

  private void summarize() {
    summary = null;
    long now = ticker.nanoTime();
    if (suppressed > 0) {
      log.warn(
          "suppressed {} similar warnings from {} in the last {}",
          String.format("%,d", suppressed),
          source,
          seconds(now - windowStart));
      suppressed = 0;
    }
    // A new interval starts now, so a flood that goes on logs its first lines again.
    windowStart = now;
    permitted = 0;
  }

  private static String seconds(long nanos) {
    long tenths = Math.max(1, Math.round(nanos / 100_000_000.0));
    return tenths % 10 == 0 ? tenths / 10 + " s" : tenths / 10 + "." + tenths % 10 + " s";
  }
}
