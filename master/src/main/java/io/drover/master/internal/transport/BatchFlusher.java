package io.drover.master.internal.transport;

import io.netty.channel.EventLoop;
import java.util.ArrayList;

/**
 * Flushes every {@link OutboundBatch} written during one turn of the event loop, once, after the
 * loop has processed all ready channels. A burst of reads from many clients thus becomes one
 * write per worker, and a burst of results one write per client.
 *
 * <p>Owned by one event loop: every method must be called on it.
 */
public final class BatchFlusher {
  private final EventLoop loop;
  private final ArrayList<OutboundBatch> dirty = new ArrayList<>();
  private final Runnable flushAll = this::flushAll;
  private boolean scheduled;
  /** {@link System#nanoTime} as read by the first {@link #turnNanos} call of this turn. */
  private long turnNanos;
  private boolean turnClockRead;

  /** Creates a flusher for the channels of {@code loop}. */
  public BatchFlusher(EventLoop loop) {
    this.loop = loop;
  }

  /** The event loop that owns this flusher and every batch that uses it. */
  public EventLoop loop() {
    return loop;
  }

  /** Arranges for {@code batch} to be flushed at the end of this loop turn. */
  void markDirty(OutboundBatch batch) {
    dirty.add(batch);
    scheduleFlush();
  }

  /**
   * {@link System#nanoTime} read once per loop turn: the first call of a turn reads the clock and
   * every later call of the same turn (until the end-of-turn flush) gets that reading. Under load a
   * turn handles many frames, so timing each task this way costs a field read, not a clock read
   * (about 40 ns here); the price is a resolution of one turn, fine for metrics, not for
   * scheduling.
   */
  public long turnNanos() {
    if (!turnClockRead) {
      turnNanos = System.nanoTime();
      turnClockRead = true;
      scheduleFlush(); // the end of the turn, where the reading expires
    }
    return turnNanos;
  }

  private void scheduleFlush() {
    if (!scheduled) {
      scheduled = true;
      loop.execute(flushAll);
    }
  }

  private void flushAll() {
    scheduled = false;
    turnClockRead = false;
    // A flush can make more batches dirty (a write failure closing a channel fails tasks whose
    // errors go to other clients), so index rather than iterate.
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }
}
