package io.drover.master.internal.dispatch;

/**
 * One worker's adaptive in-flight limit: how many tasks the master lets it hold, learnt from the
 * round trips (dispatch to result) of its tasks. In the spirit of TCP Vegas and of the gradient
 * limiters of Netflix's concurrency-limits and Envoy's adaptive concurrency filter, but with the
 * allowance for queueing as a duration rather than a ratio, because the two kinds of task a
 * worker sees want opposite things:
 *
 * <ul>
 *   <li>a quick task (microseconds) is cheapest in a deep pipeline, where every read and write
 *       of the worker socket carries hundreds of tasks: its round trip grows with the depth, but
 *       from microseconds to a millisecond at most, which a ratio to the no-load round trip would
 *       call a fiftyfold queue and refuse;
 *   <li>a slow task (milliseconds to seconds) should wait in the master, where whichever worker
 *       frees a thread first takes it (by priority, connections in turn), and not inside one
 *       worker behind others like it.
 * </ul>
 *
 * <p>So: the limit is measured in windows of one round of the pipeline (the tasks sent since the
 * window began, until as many as the limit, at least 8, have come back). A window in which the
 * worker was at its limit and at most one round trip in 16 took longer than the quickest one the
 * worker has shown ({@code minRtt}) plus half of {@code queueDelay} raises the limit by an eighth
 * (a count, not the average, so that the few tasks that queued behind busy threads — one in nine
 * after a step of an eighth — stop the growth, while a rare hiccup of the machine does not); one
 * whose average exceeds {@code minRtt + queueDelay} cuts it in proportion (by Little's
 * law, to the depth that would have kept the average there, but at most to a quarter); in between it
 * stays. It never goes below the worker's capacity (every handler thread may be busy) or above
 * the ceiling. Every {@code probeInterval} (a worker-specific fraction later, so that workers do
 * not probe together) the limit drops to the capacity until tasks sent after the drop — which
 * meet a free thread — have returned, and their quickest round trip becomes {@code minRtt}:
 * without that a {@code minRtt} measured under a queue would only ever grow with it (the drift
 * Envoy's filter avoids the same way).
 *
 * <p>Round trips come from the dispatch loop's clock of the turn ({@code turnNanos}), so measuring
 * costs one subtraction and a few compares per result and no clock read. Owned by the dispatch
 * event loop.
 */
final class AdaptiveInFlight {
  /** The fewest results a window takes. */
  static final int MIN_WINDOW = 8;

  private final int floor;
  private final int ceiling;
  private final long queueDelayNanos;
  private final long probeIntervalNanos;

  private int limit;
  private long minRtt = Long.MAX_VALUE;

  private long windowSum;
  /** Round trips in the window longer than {@code minRtt + queueDelay / 2}. */
  private int windowLate;
  private int windowCount;
  private long windowStartNanos;
  private boolean saturated;

  /** Whether the limit is down at the floor to measure {@code minRtt}. */
  private boolean probing;
  /** The limit to go back to after the probe. */
  private int limitBeforeProbe;
  /** Only tasks sent after this (the probe's start) count as no-load samples. */
  private long probeStartNanos;
  private long probeMin;
  private int probeCount;
  private long nextProbeNanos;

  /**
   * @param floor the lowest the limit goes: the worker's capacity, at least 1
   * @param ceiling the highest it goes (at least the floor)
   * @param queueDelayNanos the queueing allowed beyond the quickest round trip
   * @param probeIntervalNanos how often the quickest round trip is measured anew
   * @param nowNanos now, on the dispatch loop's clock
   * @param probeJitter 0..1, spreads the workers' probes apart
   */
  AdaptiveInFlight(int floor, int ceiling, long queueDelayNanos, long probeIntervalNanos, long nowNanos, double probeJitter) {
    this.floor = Math.max(1, floor);
    this.ceiling = Math.max(this.floor, ceiling);
    this.queueDelayNanos = queueDelayNanos;
    this.probeIntervalNanos = probeIntervalNanos;
    this.limit = this.floor;
    this.windowStartNanos = nowNanos;
    this.nextProbeNanos = nowNanos + probeIntervalNanos + (long) (probeIntervalNanos * 0.25 * probeJitter);
  }

  /** The limit now. */
  int limit() {
    return limit;
  }

  /** The quickest round trip seen (since the last probe), or {@link Long#MAX_VALUE} before any. */
  long minRttNanos() {
    return minRtt;
  }

  /** A task was sent and the worker now holds {@code outstanding}. */
  void sent(int outstanding) {
    if (outstanding >= limit) {
      saturated = true;
    }
  }

  /**
   * A result arrived for a task sent at {@code sentNanos}; returns the limit from now on.
   *
   * @param sentNanos when the task was sent
   * @param nowNanos now
   */
  int result(long sentNanos, long nowNanos) {
    long rtt = nowNanos - sentNanos;
    if (probing) {
      return probeSample(sentNanos, rtt, nowNanos);
    }
    if (rtt < minRtt) {
      minRtt = rtt;
    }
    // A window takes the round trips of the tasks sent since it began, under the limit it set,
    // until as many as the limit (at least 8) have come back: a full round of the pipeline, the
    // last ones those that waited longest. Tasks sent before it belong to the limit before.
    if (sentNanos - windowStartNanos < 0) {
      return limit;
    }
    windowSum += rtt;
    if (rtt - minRtt > queueDelayNanos >> 1) {
      windowLate++;
    }
    if (++windowCount >= Math.max(MIN_WINDOW, limit)) {
      endWindow(nowNanos);
    }
    return limit;
  }

  private void endWindow(long nowNanos) {
    long average = windowSum / windowCount;
    long delay = average - minRtt;
    if (delay > queueDelayNanos) {
      // Little's law: the depth that would have kept the average at minRtt + queueDelay (at most
      // a quarter of it in one round trip; a burst of slow tasks gets there in a few).
      double keep = Math.max(0.25, (double) (minRtt + queueDelayNanos) / average);
      limit = Math.max(floor, (int) (limit * keep));
    } else if (saturated && windowLate <= windowCount >> 4) {
      limit = Math.min(ceiling, limit + Math.max(1, limit >> 3));
    }
    windowSum = 0;
    windowLate = 0;
    windowCount = 0;
    windowStartNanos = nowNanos;
    saturated = false;
    if (nowNanos - nextProbeNanos >= 0) {
      startProbe(nowNanos);
    }
  }

  private void startProbe(long nowNanos) {
    probing = true;
    limitBeforeProbe = limit;
    limit = floor;
    probeStartNanos = nowNanos;
    probeMin = Long.MAX_VALUE;
    probeCount = 0;
  }

  private int probeSample(long sentNanos, long rtt, long nowNanos) {
    // Sent after the drop, a task found fewer than `floor` ahead of it: a free handler thread.
    if (sentNanos - probeStartNanos > 0) {
      probeMin = Math.min(probeMin, rtt);
      if (++probeCount >= Math.min(floor, MIN_WINDOW)) {
        minRtt = probeMin;
        limit = limitBeforeProbe;
        probing = false;
        windowStartNanos = nowNanos;
        nextProbeNanos = nowNanos + probeIntervalNanos;
      }
    }
    return limit;
  }

  @Override
  public String toString() {
    return "limit " + limit + (probing ? " (probing)" : "") + ", min rtt " + (minRtt == Long.MAX_VALUE ? "-" : minRtt / 1000 + " us");
  }
}
