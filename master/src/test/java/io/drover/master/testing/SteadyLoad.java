package io.drover.master.testing;

import io.drover.client.DroverClient;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a fixed number of tasks in flight on one client, submitting a new one as each ends, until
 * closed; counts the successes and keeps every failure, so a test can change the master under load
 * and then say that no task failed.
 */
public final class SteadyLoad implements AutoCloseable {
  private final DroverClient client;
  private final String type;
  private final byte[] payload;
  private final int inFlight;
  private final Semaphore slots;
  private final AtomicLong succeeded = new AtomicLong();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final Thread submitter;
  private volatile boolean running = true;

  private SteadyLoad(DroverClient client, String type, byte[] payload, int inFlight) {
    this.client = client;
    this.type = type;
    this.payload = payload;
    this.inFlight = inFlight;
    this.slots = new Semaphore(inFlight);
    this.submitter = new Thread(this::submitWhileRunning, "steady-load");
    submitter.setDaemon(true);
  }

  /** Starts submitting {@code type} tasks with {@code payload}, {@code inFlight} at a time. */
  public static SteadyLoad start(DroverClient client, String type, byte[] payload, int inFlight) {
    SteadyLoad load = new SteadyLoad(client, type, payload, inFlight);
    load.submitter.start();
    return load;
  }

  private void submitWhileRunning() {
    try {
      while (running) {
        if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        try {
          client
              .submit(type, payload)
              .whenComplete(
                  (result, failure) -> {
                    if (failure == null) {
                      succeeded.incrementAndGet();
                    } else {
                      failures.add(String.valueOf(failure));
                    }
                    slots.release();
                  });
        } catch (RuntimeException e) {
          failures.add("submit threw " + e);
          slots.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Tasks answered OK so far. */
  public long succeeded() {
    return succeeded.get();
  }

  /** Every failure so far, as text. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops submitting and waits (two minutes at most, a hang guard) for the tasks in flight to end. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    submitter.join(TimeUnit.MINUTES.toMillis(2));
    if (!slots.tryAcquire(inFlight, 2, TimeUnit.MINUTES)) {
      failures.add((inFlight - slots.availablePermits()) + " tasks still unanswered two minutes after the load stopped");
    }
  }
}
