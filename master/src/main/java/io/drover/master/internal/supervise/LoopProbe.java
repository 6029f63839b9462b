package io.drover.master.internal.supervise;

/**
 * Tells the watchdog until when the dispatch loop is known to have been working. Heartbeats reach
 * the supervisor through that loop, so while it stalls (a long GC pause, blocking work on it)
 * every worker looks silent; the watchdog counts a worker's silence only up to {@link
 * #heardUntil()}, and forgives the silence of a stall it hears about from {@link #collect()}.
 *
 * <p>One probe at a time goes to the loop; the moment it was sent, once the loop has run it, is a
 * moment the loop was working. Used on the supervisor thread, except the probe itself, which runs
 * on the loop and writes one volatile field.
 */
final class LoopProbe {
  private static final long UNANSWERED = Long.MIN_VALUE;

  private final WorkerConnections loop;
  private final long stallNanos;
  private volatile long answeredAtNanos = UNANSWERED;
  /** The probe, allocated once: each tick sends the same one. */
  private final Runnable answer = () -> answeredAtNanos = System.nanoTime();
  private boolean outstanding;
  private long sentAtNanos;
  private long heardUntilNanos;

  /**
   * @param loop reaches the dispatch loop
   * @param stallNanos a probe that takes longer than this to be answered reveals a stall
   * @param nowNanos the start: the loop counts as working then
   */
  LoopProbe(WorkerConnections loop, long stallNanos, long nowNanos) {
    this.loop = loop;
    this.stallNanos = stallNanos;
    this.heardUntilNanos = nowNanos;
  }

  /**
   * Takes in the answer to the probe in flight, if it has come.
   *
   * @return how long the loop took to answer if that was longer than the stall threshold (the
   *     length of a stall it has just come out of), else 0
   */
  long collect() {
    if (!outstanding) {
      return 0;
    }
    long answeredAt = answeredAtNanos;
    if (answeredAt == UNANSWERED) {
      return 0;
    }
    outstanding = false;
    heardUntilNanos = sentAtNanos;
    long took = answeredAt - sentAtNanos;
    return took > stallNanos ? took : 0;
  }

  /** Sends a probe to the loop unless one is in flight. */
  void send(long nowNanos) {
    if (outstanding) {
      return;
    }
    answeredAtNanos = UNANSWERED;
    sentAtNanos = nowNanos;
    loop.execute(answer);
    outstanding = true; // only once sent: a loop that refused it is asked again next time
  }

  /** The latest moment the loop is known to have been working: heartbeats sent before it were heard. */
  long heardUntil() {
    return heardUntilNanos;
  }
}
