package io.drover.master.internal.admin;

import io.drover.master.internal.dispatch.DispatchMetrics;
import io.drover.master.internal.dispatch.DispatchMetrics.Latencies;
import io.drover.master.internal.dispatch.DispatchMetrics.TypeCounts;
import io.drover.master.internal.dispatch.DispatchStatus;
import io.drover.master.internal.metrics.MasterMetrics;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the master's totals once a second into a {@link StatusHistory}, so that a status page
 * opened now shows the last minutes at once. Runs on the admin loop, for as long as it runs: each
 * reading is one snapshot and one metrics request to the dispatch loop and the supervisor thread,
 * like a {@code GET /status} and a {@code GET /metrics}; nothing is added to the task path.
 */
final class StatusSampler {
  private static final Logger log = LoggerFactory.getLogger(StatusSampler.class);
  /** Between two readings. */
  static final long INTERVAL_MILLIS = 1000;
  /** Five minutes of samples. */
  static final int CAPACITY = 300;

  private final StatusSource source;
  private final ScheduledExecutorService adminLoop;
  private final StatusHistory history = new StatusHistory(CAPACITY);
  /** A reading is under way: a stalled master is not asked again until it answers. Admin loop only. */
  private boolean reading;

  private StatusSampler(StatusSource source, ScheduledExecutorService adminLoop) {
    this.source = source;
    this.adminLoop = adminLoop;
  }

  /** Starts sampling {@code source} on {@code adminLoop}; it stops when the loop shuts down. */
  static StatusSampler start(StatusSource source, ScheduledExecutorService adminLoop) {
    StatusSampler sampler = new StatusSampler(source, adminLoop);
    adminLoop.execute(sampler::read); // the baseline at once: the first sample a second later
    adminLoop.scheduleAtFixedRate(sampler::read, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    return sampler;
  }

  /** The samples kept. Admin loop only. */
  StatusHistory history() {
    return history;
  }

  private void read() {
    if (reading) {
      return;
    }
    CompletableFuture<StatusHistory.Reading> next;
    try {
      // A master without metrics still has its throughput and queue sampled: no latency, no failure.
      CompletableFuture<MasterMetrics> metrics = source.metrics().handle((m, failure) -> failure == null ? m : null);
      next =
          source
              .snapshot()
              .thenCombine(metrics, StatusSampler::reading)
              // An owner that never answers (stopped with the task queued) must not stop the sampling.
              .orTimeout(AdminHttpHandler.ROUTE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Thrown out of a scheduled task, it would cancel the sampling for good.
      log.warn("status sample failed; sampling goes on", e);
      return;
    }
    reading = true;
    next.whenCompleteAsync(
        (r, failure) -> {
          reading = false;
          if (failure != null) {
            // The master is starting or stopping; the chart shows a gap, not an error.
            log.debug("status sample skipped: {}", failure.toString());
          } else {
            history.record(r);
          }
        },
        adminLoop);
  }

  private static StatusHistory.Reading reading(StatusSnapshot s, MasterMetrics metrics) {
    DispatchStatus d = s.dispatch();
    long completed = 0;
    for (long n : d.answeredByStatus().values()) {
      completed += n;
    }
    DispatchMetrics m = metrics == null ? null : metrics.dispatch();
    return new StatusHistory.Reading(
        System.currentTimeMillis(),
        System.nanoTime(),
        completed,
        d.queued(),
        d.inProgress(),
        s.readyWorkers(),
        m == null ? null : total(m, TypeCounts::run),
        m == null ? null : total(m, TypeCounts::queueWait));
  }

  /** One histogram over every task type: the page charts the master's latency, not a type's. */
  static Latencies total(DispatchMetrics m, Function<TypeCounts, Latencies> which) {
    long[] buckets = new long[DispatchMetrics.latencyBoundsSeconds().length + 1];
    long sum = 0;
    for (TypeCounts t : m.types()) {
      Latencies l = which.apply(t);
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] += l.buckets()[i];
      }
      sum += l.sumNanos();
    }
    return new Latencies(buckets, sum);
  }
}
