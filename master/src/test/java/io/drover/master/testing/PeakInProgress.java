package io.drover.master.testing;

import io.drover.master.DroverMaster;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a master's tasks in progress back to back on a thread of its own, as often as the
 * master's event loop answers, and keeps the highest value seen: a test's bound on tasks in
 * progress is then checked thousands of times a second, not at a few chosen moments.
 */
public final class PeakInProgress implements AutoCloseable {
  private final DroverMaster master;
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private PeakInProgress(DroverMaster master) {
    this.master = master;
    this.thread = new Thread(this::run, "peak-in-progress");
    thread.setDaemon(true);
  }

  /** Starts sampling {@code master}. */
  public static PeakInProgress start(DroverMaster master) {
    PeakInProgress p = new PeakInProgress(master);
    p.thread.start();
    return p;
  }

  private void run() {
    try {
      while (running) {
        record(master.tasksInProgress());
      }
    } catch (IllegalStateException e) {
      // The master closed under us: nothing more to sample.
    }
  }

  /** Records a sample taken elsewhere (by a test's reader at every response, say). */
  public void record(long inProgress) {
    peak.accumulateAndGet(inProgress, Math::max);
    samples.incrementAndGet();
  }

  /** The highest number of tasks in progress sampled so far. */
  public long peak() {
    return peak.get();
  }

  /** How many samples were taken. */
  public long samples() {
    return samples.get();
  }

  /** Stops sampling and waits for the sampling thread to end. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }
}
