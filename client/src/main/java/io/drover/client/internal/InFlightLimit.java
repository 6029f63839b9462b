package io.drover.client.internal;

import io.drover.client.DroverBackpressureException;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.drover.protocol.HumanUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Room for {@code maxInFlight} requests on one connection: a submitting thread takes one permit
 * per request, waiting up to {@code maxBlock} for one, and the event loop gives it back when the
 * request leaves the connection (answered, timed out, cancelled or failed). A thread of the
 * client's event loops never waits: the permits it would wait for are given back on such a thread,
 * maybe its own.
 *
 * <p>Non-fair: a thread that finds a permit free takes it without queueing behind waiting ones,
 * which keeps the uncontended path one CAS; since every request takes one permit, a waiter is
 * not starved by larger requests.
 */
public final class InFlightLimit {
  private final int maxInFlight;
  private final long maxBlockNanos;
  private final Semaphore permits;
  private final EventExecutor[] noWaitLoops;

  /**
   * Creates the limit of a connection whose channel runs on one of {@code loops}.
   *
   * @param maxInFlight greater than zero
   * @param maxBlockNanos how long a submitting thread waits for room; zero or more
   */
  public InFlightLimit(int maxInFlight, long maxBlockNanos, EventLoopGroup loops) {
    this.maxInFlight = maxInFlight;
    this.maxBlockNanos = maxBlockNanos;
    this.permits = new Semaphore(maxInFlight);
    List<EventExecutor> executors = new ArrayList<>();
    loops.forEach(executors::add);
    this.noWaitLoops = executors.toArray(new EventExecutor[0]);
  }

  /** Requests holding a permit. */
  int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  /**
   * Takes a permit for one request, waiting for one if none is free and the caller may wait.
   *
   * @return null when it took one, else why it did not, to fail the request with
   */
  DroverBackpressureException acquire() {
    if (permits.tryAcquire()) {
      return null;
    }
    if (onLoopThread()) {
      return refusal(
          "called on the client's event loop, which must not wait for room (a future's callback:"
              + " submit from another thread, or with the ...Async variants)");
    }
    if (maxBlockNanos == 0) {
      return refusal("maxBlock is zero");
    }
    try {
      if (permits.tryAcquire(maxBlockNanos, TimeUnit.NANOSECONDS)) {
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refusal("the thread was interrupted while it waited for room");
    }
    return refusal("none was answered within maxBlock " + HumanUnits.nanos(maxBlockNanos));
  }

  /** Gives back the permit of a request that left the connection. */
  void release() {
    permits.release();
  }

  private DroverBackpressureException refusal(String why) {
    return new DroverBackpressureException(
        maxInFlight, "maxInFlight of " + maxInFlight + " requests reached: " + why);
  }

  private boolean onLoopThread() {
    for (EventExecutor loop : noWaitLoops) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}
