package io.drover.master.internal.dispatch;

import io.drover.protocol.proto.Heartbeat;
import io.drover.protocol.proto.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A copy of the dispatcher's counters at one moment, taken on the dispatch loop by {@link
 * Dispatcher#metrics()} and read anywhere (the metrics scrape turns it into Prometheus samples).
 * Arrays are copies: nothing here changes after it is made.
 *
 * @param types per task type label (at most {@link TaskTypeTable#MAX_LABELLED_TYPES} and "other")
 * @param refusedByStatus tasks refused before becoming tasks (no type label), by status number
 * @param waiting tasks waiting in the master for a worker
 * @param inFlight tasks on workers
 * @param connectionsOpen client connections open
 * @param connectionsAccepted client connections accepted since the start
 * @param goAwaysSent GOAWAY frames sent to client connections since the start
 * @param jobsInProgress jobs accepted and not yet answered
 * @param jobsAnsweredByStatus jobs answered, by status number
 * @param workers one entry per worker slot with a registered connection, by slot id
 * @param tenants the tenants' counters
 * @param sharedMemory the payload region's figures; null when shared memory is off
 */
public record DispatchMetrics(
    List<TypeCounts> types,
    long[] refusedByStatus,
    int waiting,
    int inFlight,
    int connectionsOpen,
    long connectionsAccepted,
    long goAwaysSent,
    int jobsInProgress,
    long[] jobsAnsweredByStatus,
    List<WorkerGauges> workers,
    TenantsSnapshot tenants,
    io.drover.master.status.SharedMemorySnapshot sharedMemory) {

  /** Number of status slots in the arrays indexed by status number. */
  public static final int STATUS_SLOTS = TaskStats.STATUS_SLOTS;

  /** The name of status slot {@code slot} as PROTOCOL.md spells it; the last slot is "UNKNOWN". */
  public static String statusName(int slot) {
    Status s = slot < STATUS_SLOTS - 1 ? Status.forNumber(slot) : null;
    return s == null ? "UNKNOWN" : s.name();
  }

  /** Upper bounds of the latency histograms' buckets, in seconds (then +Inf). */
  public static double[] latencyBoundsSeconds() {
    double[] b = new double[LatencyCounts.BOUNDS_NANOS.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = LatencyCounts.BOUNDS_NANOS[i] / 1e9;
    }
    return b;
  }

  /**
   * The counters of one task type label.
   *
   * @param type the type's name, or "other"
   * @param submitted tasks accepted
   * @param completedByStatus tasks answered, by status number
   * @param dropped tasks whose client disconnected before their answer
   * @param queueWait from acceptance to the first dispatch
   * @param run from the last dispatch to the result
   */
  public record TypeCounts(
      String type, long submitted, long[] completedByStatus, long dropped, Latencies queueWait, Latencies run) {}

  /**
   * A latency histogram.
   *
   * @param buckets observations per bucket, not cumulative, the last above every bound
   * @param sumNanos the sum of the observations
   */
  public record Latencies(long[] buckets, long sumNanos) {
    static Latencies of(LatencyCounts c) {
      return new Latencies(c.buckets.clone(), c.sumNanos);
    }

    /** Observations in all. */
    public long count() {
      long n = 0;
      for (long b : buckets) {
        n += b;
      }
      return n;
    }

    /**
     * The observations made since {@code earlier} (a copy of the same histogram taken before),
     * for rates and percentiles over a window.
     */
    public Latencies minus(Latencies earlier) {
      long[] b = buckets.clone();
      for (int i = 0; i < b.length; i++) {
        b[i] -= earlier.buckets[i];
      }
      return new Latencies(b, sumNanos - earlier.sumNanos);
    }

    /**
     * The {@code q}-quantile (0..1) in seconds, estimated as Prometheus's {@code
     * histogram_quantile} does: linearly within the bucket it falls in (from 0 for the first);
     * the last bound when it falls above every bound; NaN without observations.
     */
    public double quantileSeconds(double q) {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("q: " + q + " (expected: 0..1)");
      }
      long total = count();
      if (total == 0) {
        return Double.NaN;
      }
      double rank = q * total;
      long[] bounds = LatencyCounts.BOUNDS_NANOS;
      long seen = 0;
      for (int i = 0; i < bounds.length; i++) {
        long inBucket = buckets[i];
        if (inBucket > 0 && seen + inBucket >= rank) {
          double lower = i == 0 ? 0 : bounds[i - 1];
          return (lower + (bounds[i] - lower) * ((rank - seen) / inBucket)) / 1e9;
        }
        seen += inBucket;
      }
      return bounds[bounds.length - 1] / 1e9;
    }
  }

  /**
   * What the dispatcher knows of one worker slot: its connections' in-flight count and the load
   * of their last heartbeats, summed over the slot's processes while a recycled one and its
   * replacement overlap.
   *
   * @param workerId the slot
   * @param inFlight tasks sent to it and not yet answered
   * @param inFlightLimit the most tasks it may hold now (its adaptive limit, or the fixed cap)
   * @param cpuLoad CPU use as a fraction of all cores (0..1 per process)
   * @param rssBytes resident set size
   * @param heapUsedBytes heap in use
   * @param heapMaxBytes maximum heap
   */
  public record WorkerGauges(
      int workerId, int inFlight, int inFlightLimit, double cpuLoad, long rssBytes, long heapUsedBytes, long heapMaxBytes) {
    WorkerGauges plus(WorkerGauges o) {
      return new WorkerGauges(
          workerId,
          inFlight + o.inFlight,
          inFlightLimit + o.inFlightLimit,
          cpuLoad + o.cpuLoad,
          rssBytes + o.rssBytes,
          heapUsedBytes + o.heapUsedBytes,
          heapMaxBytes + o.heapMaxBytes);
    }
  }

  static DispatchMetrics of(
      WorkerPool pool,
      Admission admission,
      ClientPort clients,
      JobCoordinator jobs,
      io.drover.master.internal.shm.PayloadRegion region) {
    List<TypeCounts> types = new ArrayList<>();
    for (TaskStats s : pool.typeStats()) {
      types.add(
          new TypeCounts(
              s.label, s.submitted, s.completed.clone(), s.dropped, Latencies.of(s.queueWait), Latencies.of(s.run)));
    }
    TreeMap<Integer, WorkerGauges> bySlot = new TreeMap<>();
    for (WorkerSession w : pool.all()) {
      if (w.workerId < 0) {
        continue;
      }
      Heartbeat h = w.lastHeartbeat;
      WorkerGauges g =
          h == null
              ? new WorkerGauges(w.workerId, w.outstanding(), w.inFlightCap, 0, 0, 0, 0)
              : new WorkerGauges(
                  w.workerId, w.outstanding(), w.inFlightCap, h.getCpuLoad(), h.getRssBytes(), h.getHeapUsedBytes(), h.getHeapMaxBytes());
      bySlot.merge(w.workerId, g, WorkerGauges::plus);
    }
    return new DispatchMetrics(
        List.copyOf(types),
        clients.refused.clone(),
        admission.queued(),
        pool.outstanding(),
        clients.sessions().size(),
        clients.connectionsAccepted,
        clients.goAway.sent,
        jobs.jobsInProgress,
        jobs.jobsAnswered.clone(),
        List.copyOf(bySlot.values()),
        TenantsSnapshot.of(clients.tenants),
        region == null ? null : region.snapshot());
  }
}
