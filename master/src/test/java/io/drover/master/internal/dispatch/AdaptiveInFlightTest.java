package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit against a simulated worker: {@code capacity} handler threads taking tasks
 * first come first served, each for a fixed service time, behind a fixed transport delay, under a
 * master that always has more tasks than the limit lets it send (or a fixed number, where said).
 * Simulated time, so the outcome does not depend on the machine.
 */
class AdaptiveInFlightTest {
  private static final long US = 1_000;
  private static final long MS = 1_000_000;
  private static final long QUEUE_DELAY = 1 * MS;
  private static final long PROBE_INTERVAL = 10_000 * MS;

  /** A worker of {@code capacity} threads whose tasks take {@code serviceNanos} each. */
  private static final class SimulatedWorker {
    final int capacity;
    final long transportNanos;
    long serviceNanos;
    /** Results due, by arrival time: {sentAt, arrival}. */
    final PriorityQueue<long[]> results = new PriorityQueue<>((a, b) -> Long.compare(a[1], b[1]));
    /** When each thread is next free. */
    final PriorityQueue<Long> threads = new PriorityQueue<>();
    long now;
    int outstanding;
    int maxOutstanding;

    SimulatedWorker(int capacity, long serviceNanos, long transportNanos) {
      this.capacity = capacity;
      this.serviceNanos = serviceNanos;
      this.transportNanos = transportNanos;
      for (int i = 0; i < capacity; i++) {
        threads.add(0L);
      }
    }

    void send(AdaptiveInFlight limit) {
      long start = Math.max(now + transportNanos / 2, threads.poll());
      long finish = start + serviceNanos;
      threads.add(finish);
      results.add(new long[] {now, finish + transportNanos / 2});
      outstanding++;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      limit.sent(outstanding);
    }

    /**
     * Runs until {@code untilNanos} with {@code offered} tasks at most in flight (the master's
     * queue never empties when it is larger than the limit); returns the tasks completed.
     */
    long run(AdaptiveInFlight limit, long untilNanos, int offered) {
      long done = 0;
      fill(limit, offered);
      while (!results.isEmpty() && results.peek()[1] <= untilNanos) {
        long[] r = results.poll();
        now = r[1];
        outstanding--;
        done++;
        limit.result(r[0], now);
        fill(limit, offered);
      }
      now = untilNanos;
      return done;
    }

    private void fill(AdaptiveInFlight limit, int offered) {
      while (outstanding < Math.min(limit.limit(), offered)) {
        send(limit);
      }
    }
  }

  private static AdaptiveInFlight limiter(int capacity, int ceiling) {
    return new AdaptiveInFlight(capacity, ceiling, QUEUE_DELAY, PROBE_INTERVAL, 0, 0);
  }

  @Test
  void startsAtTheWorkersCapacity() {
    assertThat(limiter(16, 1024).limit()).isEqualTo(16);
    assertThat(limiter(0, 1024).limit()).isEqualTo(1);
    assertThat(limiter(16, 4).limit()).as("a ceiling below the capacity").isEqualTo(16);
  }

  @Test
  void quickTasksGetADeepPipelineBoundedByTheQueueDelay() {
    // An echo worker: 2 µs per task on one I/O thread (500k tasks/s), 30 µs of socket round trip.
    SimulatedWorker w = new SimulatedWorker(1, 2 * US, 30 * US);
    AdaptiveInFlight limit = limiter(1, 4096);
    w.run(limit, 2_000 * MS, 100_000);
    // 1 ms of queueing at 500k tasks/s is 500 tasks; the limit settles between half and all of it.
    assertThat(limit.limit()).isBetween(200, 600);
    assertThat(limit.minRttNanos()).isLessThan(40 * US);
  }

  @Test
  void theCeilingBoundsTheLimit() {
    SimulatedWorker w = new SimulatedWorker(1, 2 * US, 30 * US);
    AdaptiveInFlight limit = limiter(1, 100);
    w.run(limit, 1_000 * MS, 100_000);
    assertThat(limit.limit()).isEqualTo(100);
    assertThat(w.maxOutstanding).isEqualTo(100);
  }

  @Test
  void slowTasksStayAtAboutTheCapacitySoThatTheyWaitInTheMaster() {
    // 100 ms tasks on 16 threads: a task beyond the 16th waits 100 ms inside the worker.
    SimulatedWorker w = new SimulatedWorker(16, 100 * MS, 50 * US);
    AdaptiveInFlight limit = limiter(16, 1024);
    w.run(limit, 60_000 * MS, 100_000);
    assertThat(limit.limit()).isBetween(16, 18);
    assertThat(w.maxOutstanding).isLessThanOrEqualTo(18);
  }

  @Test
  void mediumTasksKeepEveryThreadFedAcrossTheRoundTrip() {
    // 1 ms tasks on 4 threads: a little queue inside the worker hides the master's round trip.
    SimulatedWorker w = new SimulatedWorker(4, 1 * MS, 200 * US);
    AdaptiveInFlight limit = limiter(4, 1024);
    w.run(limit, 10_000 * MS, 100_000);
    assertThat(limit.limit()).isBetween(5, 8);
  }

  @Test
  void aLimitGrowsOnlyWhileTheWorkerUsesIt() {
    SimulatedWorker w = new SimulatedWorker(1, 2 * US, 30 * US);
    AdaptiveInFlight limit = limiter(8, 4096);
    // 4 tasks in flight never reach the limit of 8: no reason to raise it.
    w.run(limit, 1_000 * MS, 4);
    assertThat(limit.limit()).isEqualTo(8);
  }

  @Test
  void aWorkerWhoseTasksTurnSlowIsCutBackToItsCapacityWithinAFewWindows() {
    SimulatedWorker w = new SimulatedWorker(16, 2 * US, 30 * US);
    AdaptiveInFlight limit = limiter(16, 1024);
    w.run(limit, 1_000 * MS, 100_000);
    assertThat(limit.limit()).isGreaterThan(100);
    w.serviceNanos = 50 * MS;
    long done = w.run(limit, 10_000 * MS, 100_000);
    assertThat(limit.limit()).isBetween(16, 18);
    assertThat(done).isPositive();
  }

  @Test
  void aProbeMeasuresTheQuickestRoundTripAnewAfterTheTasksTurnedSlower() {
    // Quick tasks first: the quickest round trip is about 32 µs.
    SimulatedWorker w = new SimulatedWorker(4, 2 * US, 30 * US);
    AdaptiveInFlight limit = limiter(4, 1024);
    w.run(limit, 1_000 * MS, 100_000);
    assertThat(limit.minRttNanos()).isLessThan(40 * US);
    // Then 1 ms tasks: until a probe, 32 µs stays the quickest and the limit stays near the floor.
    w.serviceNanos = 1 * MS;
    w.run(limit, 2_000 * MS, 100_000);
    assertThat(limit.minRttNanos()).isLessThan(40 * US);
    // After the probe interval the quickest round trip is a 1 ms task's, and the limit may grow.
    w.run(limit, 2_000 * MS + PROBE_INTERVAL * 2, 100_000);
    assertThat(limit.minRttNanos()).isBetween(1 * MS, 2 * MS);
    assertThat(limit.limit()).isGreaterThan(4);
  }

  @Test
  void aProbeWaitsForTasksSentAfterItAndThenRestoresTheLimit() {
    SimulatedWorker w = new SimulatedWorker(1, 2 * US, 30 * US);
    long probeInterval = 100 * MS;
    AdaptiveInFlight limit = new AdaptiveInFlight(1, 4096, QUEUE_DELAY, probeInterval, 0, 0);
    ArrayDeque<Integer> limits = new ArrayDeque<>();
    long t = 0;
    for (int i = 0; i < 30; i++) {
      t += probeInterval / 2 + 7 * MS;
      w.run(limit, t, 100_000);
      limits.add(limit.limit());
    }
    // Sampled at arbitrary moments, the limit is nearly always the learnt one, not the floor.
    assertThat(limits.stream().filter(l -> l > 100).count()).isGreaterThanOrEqualTo(25);
  }
}
