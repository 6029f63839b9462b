package io.drover.master.internal.metrics;

import io.drover.master.internal.dispatch.DispatchMetrics;
import io.drover.master.internal.dispatch.DispatchMetrics.Latencies;
import io.drover.master.internal.dispatch.DispatchMetrics.TypeCounts;
import io.drover.master.internal.dispatch.DispatchMetrics.WorkerGauges;
import io.drover.master.internal.supervise.RestartReason;
import io.drover.master.internal.supervise.SupervisorMetrics;
import io.drover.master.internal.transport.ClientTraffic;
import io.drover.master.status.WorkerState;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns a {@link MasterMetrics} (copies of the counters, taken by their owners) into Prometheus
 * metric families. A pure function of its input: it runs on the admin loop and touches no state
 * of the dispatcher or the supervisor.
 */
final class DroverCollector {
  private static final double[] BOUNDS = withInfinity(DispatchMetrics.latencyBoundsSeconds());

  private DroverCollector() {}

  /** Every Drover metric family of {@code m}. */
  static List<MetricSnapshot> collect(MasterMetrics m) {
    List<MetricSnapshot> out = new ArrayList<>();
    DispatchMetrics d = m.dispatch();
    tasks(d, out);
    workerGauges(d, out);
    clientsAndJobs(d, out);
    TenantMetrics.collect(d.tenants(), out);
    clientTraffic(m.clientTraffic(), out);
    connectionLimits(m.connections(), out);
    if (m.supervisor() != null) {
      supervision(m.supervisor(), out);
    }
    if (m.control() != null) {
      out.add(gauge("drover_config_generation", "Generation of the settings: 1 at start-up, one more per reload that changed something", m.control().configGeneration()));
      out.add(gauge("drover_pool_workers", "Workers in the pool, ready or not: the configured count, or the last scale's", m.control().poolSize()));
      out.add(counter("drover_autoscale_decisions", null, "Times the autoscaler changed the pool's size", m.control().autoscaleDecisions()));
    }
    return out;
  }

  private static void tasks(DispatchMetrics d, List<MetricSnapshot> out) {
    CounterSnapshot.Builder submitted =
        CounterSnapshot.builder().name("drover_tasks_submitted").help("Tasks accepted, by task type");
    CounterSnapshot.Builder completed =
        CounterSnapshot.builder()
            .name("drover_tasks_completed")
            .help("Tasks answered to their client, by task type and status (as in PROTOCOL.md)");
    CounterSnapshot.Builder dropped =
        CounterSnapshot.builder()
            .name("drover_tasks_dropped")
            .help("Tasks whose client disconnected before their answer, by task type");
    HistogramSnapshot.Builder wait =
        HistogramSnapshot.builder()
            .name("drover_task_queue_wait_seconds")
            .unit(Unit.SECONDS)
            .help("Time from a task's acceptance to its first dispatch to a worker, by task type");
    HistogramSnapshot.Builder run =
        HistogramSnapshot.builder()
            .name("drover_task_run_seconds")
            .unit(Unit.SECONDS)
            .help("Time from a task's last dispatch to its result from the worker, by task type");
    for (TypeCounts t : d.types()) {
      Labels type = Labels.of("type", t.type());
      submitted.dataPoint(counter(type, t.submitted()));
      dropped.dataPoint(counter(type, t.dropped()));
      long[] byStatus = t.completedByStatus();
      for (int s = 0; s < byStatus.length; s++) {
        if (byStatus[s] != 0) {
          completed.dataPoint(counter(Labels.of("status", DispatchMetrics.statusName(s), "type", t.type()), byStatus[s]));
        }
      }
      wait.dataPoint(histogram(type, t.queueWait()));
      run.dataPoint(histogram(type, t.run()));
    }
    CounterSnapshot.Builder refused =
        CounterSnapshot.builder()
            .name("drover_tasks_refused")
            .help("Tasks refused before they were accepted (unknown task type, shutting down), by status");
    long[] r = d.refusedByStatus();
    for (int s = 0; s < r.length; s++) {
      if (r[s] != 0) {
        refused.dataPoint(counter(Labels.of("status", DispatchMetrics.statusName(s)), r[s]));
      }
    }
    out.add(submitted.build());
    out.add(completed.build());
    out.add(dropped.build());
    out.add(refused.build());
    out.add(wait.build());
    out.add(run.build());
    out.add(gauge("drover_tasks_waiting", "Tasks waiting in the master for a worker", d.waiting()));
    out.add(gauge("drover_tasks_in_flight", "Tasks sent to workers and not yet answered", d.inFlight()));
    sharedMemory(d.sharedMemory(), out);
  }

  /** The payload region's gauges and counters, when shared memory is on. */
  private static void sharedMemory(io.drover.master.status.SharedMemorySnapshot s, List<MetricSnapshot> out) {
    if (s == null) {
      return;
    }
    out.add(gauge("drover_shm_region_bytes", "Size of the master's shared-memory payload region", s.regionBytes()));
    out.add(gauge("drover_shm_used_bytes", "Bytes of the payload region held by tasks' payloads", s.usedBytes()));
    out.add(gauge("drover_shm_blocks", "Payload blocks held in the region, one per task on a worker or awaiting a retry", s.blocks()));
    out.add(counter("drover_shm_payloads", null, "Payloads sent to workers through shared memory", s.payloadsShared()));
    out.add(counter("drover_shm_results", null, "Results workers returned through their shared-memory result regions", s.resultsShared()));
    out.add(counter("drover_shm_fallbacks", null, "Payloads above the threshold sent through the socket because the region was full", s.fallbacks()));
  }

  private static void workerGauges(DispatchMetrics d, List<MetricSnapshot> out) {
    out.add(perWorker(d, "drover_worker_in_flight", "Tasks on the worker slot's process", w -> w.inFlight()));
    out.add(
        perWorker(
            d,
            "drover_worker_in_flight_limit",
            "Most tasks the master lets the worker slot's process hold now: its adaptive limit, or the fixed cap",
            w -> w.inFlightLimit()));
    out.add(
        perWorker(
            d,
            "drover_worker_cpu_ratio",
            "CPU use of the worker slot's process as a fraction of all cores, from its last heartbeat",
            WorkerGauges::cpuLoad));
    out.add(
        perWorker(
            d,
            "drover_worker_resident_memory_bytes",
            "Resident set size of the worker slot's process, from its last heartbeat",
            w -> w.rssBytes()));
    out.add(
        perWorker(d, "drover_worker_heap_used_bytes", "Heap in use in the worker slot's JVM, from its last heartbeat", w -> w.heapUsedBytes()));
    out.add(
        perWorker(d, "drover_worker_heap_max_bytes", "Maximum heap of the worker slot's JVM, from its last heartbeat", w -> w.heapMaxBytes()));
  }

  private static void clientsAndJobs(DispatchMetrics d, List<MetricSnapshot> out) {
    out.add(gauge("drover_client_connections", "Client connections open", d.connectionsOpen()));
    out.add(
        counter(
            "drover_client_connections_accepted", null, "Client connections accepted since the master started", d.connectionsAccepted()));
    out.add(
        counter(
            "drover_client_goaways",
            null,
            "GOAWAY frames sent to client connections (the master stopping or being upgraded)",
            d.goAwaysSent()));
    out.add(gauge("drover_jobs_in_progress", "Jobs accepted and not yet answered", d.jobsInProgress()));
    CounterSnapshot.Builder jobs =
        CounterSnapshot.builder().name("drover_jobs_completed").help("Jobs answered, by status");
    long[] j = d.jobsAnsweredByStatus();
    for (int s = 0; s < j.length; s++) {
      if (j[s] != 0) {
        jobs.dataPoint(counter(Labels.of("status", DispatchMetrics.statusName(s)), j[s]));
      }
    }
    out.add(jobs.build());
  }

  private static void clientTraffic(ClientTraffic.Totals t, List<MetricSnapshot> out) {
    out.add(counter("drover_client_received_frames", null, "Frames received from client connections, of every kind", t.framesReceived()));
    out.add(counter("drover_client_sent_frames", null, "Frames written to client connections", t.framesSent()));
    out.add(
        counter(
            "drover_client_received_bytes",
            Unit.BYTES,
            "Bytes of the frames received from client connections, length prefixes included",
            t.bytesReceived()));
    out.add(
        counter(
            "drover_client_sent_bytes",
            Unit.BYTES,
            "Bytes of the frames written to client connections, length prefixes included",
            t.bytesSent()));
  }

  private static void connectionLimits(io.drover.master.internal.transport.ConnectionStats c, List<MetricSnapshot> out) {
    out.add(
        CounterSnapshot.builder()
            .name("drover_connections_refused")
            .help("Client connections refused at once by a limit, by reason (max_connections, max_connections_per_address)")
            .dataPoint(counter(Labels.of("reason", "max_connections"), c.refusedMaxConnections()))
            .dataPoint(counter(Labels.of("reason", "max_connections_per_address"), c.refusedMaxPerAddress()))
            .build());
    out.add(
        CounterSnapshot.builder()
            .name("drover_connections_closed")
            .help("Client connections closed (idle: sent a GOAWAY) by a timeout or bound, by reason")
            .dataPoint(counter(Labels.of("reason", "idle"), c.closedIdle()))
            .dataPoint(counter(Labels.of("reason", "frame_read_timeout"), c.closedFrameReadTimeout()))
            .dataPoint(counter(Labels.of("reason", "handshake_timeout"), c.closedHandshakeTimeout()))
            .dataPoint(counter(Labels.of("reason", "partial_frame_memory"), c.closedPartialFrameMemory()))
            .build());
    out.add(
        GaugeSnapshot.builder()
            .name("drover_partial_frame_bytes")
            .unit(Unit.BYTES)
            .help("Memory the incomplete frames of all client connections hold")
            .dataPoint(gaugePoint(Labels.EMPTY, c.partialFrameBytes()))
            .build());
  }

  private static CounterSnapshot counter(String name, Unit unit, String help, long value) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    if (unit != null) {
      b.unit(unit);
    }
    return b.dataPoint(counter(Labels.EMPTY, value)).build();
  }

  private static void supervision(SupervisorMetrics s, List<MetricSnapshot> out) {
    Map<WorkerState, Integer> byState = new EnumMap<>(WorkerState.class);
    for (WorkerState state : WorkerState.values()) {
      byState.put(state, 0);
    }
    for (WorkerState state : s.slotStates()) {
      byState.merge(state, 1, Integer::sum);
    }
    GaugeSnapshot.Builder workers =
        GaugeSnapshot.builder().name("drover_workers").help("Worker slots, by state");
    byState.forEach((state, n) -> workers.dataPoint(gaugePoint(Labels.of("state", state.name()), n)));
    out.add(workers.build());
    CounterSnapshot.Builder restarts =
        CounterSnapshot.builder()
            .name("drover_worker_restarts")
            .help("Worker processes replaced, by reason (crash, hung, start_timeout, recycled, drained, memory_limit)");
    for (RestartReason reason : RestartReason.values()) {
      restarts.dataPoint(counter(Labels.of("reason", reason.label()), s.restarts()[reason.ordinal()]));
    }
    out.add(restarts.build());
  }

  private static GaugeSnapshot perWorker(
      DispatchMetrics d, String name, String help, ToDoubleFunction<WorkerGauges> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    if (name.endsWith("_bytes")) {
      b.unit(Unit.BYTES);
    } else if (name.endsWith("_ratio")) {
      b.unit(Unit.RATIO);
    }
    for (WorkerGauges w : d.workers()) {
      b.dataPoint(gaugePoint(Labels.of("worker", Integer.toString(w.workerId())), value.applyAsDouble(w)));
    }
    return b.build();
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder().name(name).help(help).dataPoint(gaugePoint(Labels.EMPTY, value)).build();
  }

  private static GaugeDataPointSnapshot gaugePoint(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static CounterDataPointSnapshot counter(Labels labels, long value) {
    return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static HistogramDataPointSnapshot histogram(Labels labels, Latencies l) {
    return HistogramDataPointSnapshot.builder()
        .labels(labels)
        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, l.buckets()))
        .sum(l.sumNanos() / 1e9)
        .build();
  }

  private static double[] withInfinity(double[] bounds) {
    double[] b = java.util.Arrays.copyOf(bounds, bounds.length + 1);
    b[bounds.length] = Double.POSITIVE_INFINITY;
    return b;
  }
}
