package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.internal.metrics.MasterMetrics;
import io.drover.master.internal.metrics.MetricsScrape;
import io.drover.master.testing.PrometheusText;
import io.drover.master.internal.supervise.SupervisorMetrics;
import io.drover.master.internal.transport.ClientTraffic;
import io.drover.master.status.WorkerState;
import io.drover.protocol.proto.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The task counters the dispatcher keeps for the metrics, read through a real {@link
 * MetricsScrape} as a Prometheus scraper reads them.
 */
class DispatchMetricsTest extends DispatcherHarness {

  private static final SupervisorMetrics SLOTS =
      new SupervisorMetrics(List.of(WorkerState.READY, WorkerState.READY, WorkerState.BACKING_OFF), new long[] {2, 1, 0, 0, 0, 1});

  private static final ClientTraffic.Totals TRAFFIC = new ClientTraffic.Totals(3, 300, 2, 20);

  /** What GET /metrics renders, from copies taken now (the test runs as the dispatch loop). */
  private MetricsScrape.Response scrape(String accept) {
    return MetricsScrape.render(new MasterMetrics(dispatcher.metricsNow(), SLOTS, TRAFFIC, null), accept);
  }

  @Test
  void countsEachTaskByTypeAndStatusAsItsClientWasAnswered() {
    dispatcher = newDispatcher(1);
    Worker w = connectWorker(1, 1, "echo");
    connectWorker(2, 1, "sha256");
    Client c = connectClient();

    submit(c, 1, "echo", bytes("a")); // runs at once
    submit(c, 2, "echo", bytes("b")); // waits: the worker holds one task
    submit(c, 3, "echo", bytes("c")); // waits, then is cancelled
    submit(c, 4, "nope", bytes("d")); // refused: no worker serves it
    dispatcher.clientPort().cancel(c.session, 3);
    Map<String, Double> during = samples(scrape(null));
    assertThat(during).containsEntry("drover_tasks_waiting", 2.0).containsEntry("drover_tasks_in_flight", 1.0);
    assertThat(during).containsEntry("drover_worker_in_flight{worker=\"1\"}", 1.0);

    result(w, single(tasksSentTo(w)).taskId, Status.OK_VALUE, "", bytes("a"));
    result(w, single(tasksSentTo(w)).taskId, Status.HANDLER_ERROR_VALUE, "boom", new byte[0]);
    assertThat(responsesTo(c)).extracting(r -> r.status)
        .containsExactlyInAnyOrder(
            Status.UNKNOWN_TASK_TYPE_VALUE, Status.CANCELLED_VALUE, Status.OK_VALUE, Status.HANDLER_ERROR_VALUE);

    Map<String, Double> m = samples(scrape(null));
    assertThat(m)
        .containsEntry("drover_tasks_submitted_total{type=\"echo\"}", 3.0)
        .containsEntry("drover_tasks_submitted_total{type=\"sha256\"}", 0.0)
        .containsEntry("drover_tasks_completed_total{status=\"OK\",type=\"echo\"}", 1.0)
        .containsEntry("drover_tasks_completed_total{status=\"HANDLER_ERROR\",type=\"echo\"}", 1.0)
        .containsEntry("drover_tasks_completed_total{status=\"CANCELLED\",type=\"echo\"}", 1.0)
        .containsEntry("drover_tasks_refused_total{status=\"UNKNOWN_TASK_TYPE\"}", 1.0)
        // the cancelled task never reached a worker: two queue waits, two runs
        .containsEntry("drover_task_queue_wait_seconds_count{type=\"echo\"}", 2.0)
        .containsEntry("drover_task_queue_wait_seconds_bucket{type=\"echo\",le=\"+Inf\"}", 2.0)
        .containsEntry("drover_task_run_seconds_count{type=\"echo\"}", 2.0)
        .containsEntry("drover_tasks_waiting", 0.0)
        .containsEntry("drover_tasks_in_flight", 0.0)
        .containsEntry("drover_client_connections", 1.0)
        .containsEntry("drover_workers{state=\"READY\"}", 2.0)
        .containsEntry("drover_workers{state=\"BACKING_OFF\"}", 1.0)
        .containsEntry("drover_worker_restarts_total{reason=\"crash\"}", 2.0)
        .containsEntry("drover_worker_restarts_total{reason=\"hung\"}", 1.0)
        .containsEntry("drover_worker_restarts_total{reason=\"memory_limit\"}", 1.0)
        .containsEntry("drover_client_received_frames_total", 3.0)
        .containsEntry("drover_client_received_bytes_total", 300.0)
        .containsEntry("drover_client_sent_frames_total", 2.0)
        .containsEntry("drover_client_sent_bytes_total", 20.0);
    assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));

    // /status adds the same counters up: every SUBMIT, and every answer by status.
    DispatchStatus status = dispatcher.status();
    assertThat(status.submitted()).isEqualTo(4);
    assertThat(status.answeredByStatus())
        .containsOnly(
            Map.entry("OK", 1L), Map.entry("UNKNOWN_TASK_TYPE", 1L), Map.entry("CANCELLED", 1L), Map.entry("HANDLER_ERROR", 1L));
    assertThat(status.dropped()).isZero();
  }

  @Test
  void aTaskWhoseClientLeftIsCountedDroppedNotCompleted() {
    Worker w = connectWorker(1, 1, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("a"));
    dispatcher.clientPort().clientDisconnected(c.session);
    clients.remove(c);
    result(w, tasksSentTo(w).get(0).taskId, Status.OK_VALUE, "", bytes("a")); // then a CANCEL

    Map<String, Double> m = samples(scrape(null));
    assertThat(m)
        .containsEntry("drover_tasks_dropped_total{type=\"echo\"}", 1.0)
        .containsEntry("drover_client_connections", 0.0)
        .containsEntry("drover_client_connections_accepted_total", 1.0);
    assertThat(m.keySet()).noneMatch(k -> k.startsWith("drover_tasks_completed_total"));
    DispatchStatus status = dispatcher.status();
    assertThat(status.submitted()).isEqualTo(1);
    assertThat(status.answeredByStatus()).isEmpty();
    assertThat(status.dropped()).isEqualTo(1);
  }

  @Test
  void everyStatusTheProtocolDefinesIsCountedUnderItsOwnName() {
    Worker w = connectWorker(1, 1, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("a"));
    result(w, single(tasksSentTo(w)).taskId, Status.RESULT_TOO_LARGE_VALUE, "too large", new byte[0]);
    assertThat(samples(scrape(null)))
        .containsEntry("drover_tasks_completed_total{status=\"RESULT_TOO_LARGE\",type=\"echo\"}", 1.0);
    assertThat(dispatcher.status().answeredByStatus()).containsOnly(Map.entry("RESULT_TOO_LARGE", 1L));
    for (Status s : Status.values()) {
      if (s != Status.UNRECOGNIZED) {
        assertThat(DispatchMetrics.statusName(s.getNumber())).isEqualTo(s.name());
      }
    }
  }

  @Test
  void aSubmitRefusedDuringShutdownCountsInStatusAsSubmittedAndAnswered() {
    connectWorker(1, 1, "echo");
    Client c = connectClient();
    dispatcher.beginShutdown();
    submit(c, 1, "echo", bytes("a"));
    assertThat(single(responsesTo(c)).status).isEqualTo(Status.SHUTTING_DOWN_VALUE);
    assertThat(samples(scrape(null)))
        .containsEntry("drover_tasks_refused_total{status=\"SHUTTING_DOWN\"}", 1.0)
        .containsEntry("drover_tasks_submitted_total{type=\"echo\"}", 0.0);
    DispatchStatus status = dispatcher.status();
    assertThat(status.submitted()).isEqualTo(1);
    assertThat(status.answeredByStatus()).containsExactly(Map.entry("SHUTTING_DOWN", 1L));
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() {
    MetricsScrape.Response r = scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(r.contentType()).startsWith("application/openmetrics-text");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");

    MetricsScrape.Response text = scrape("text/plain");
    assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(scrape("application/json").contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(scrape("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited").contentType())
        .startsWith("text/plain; version=0.0.4");
    assertThat(scrape(null).contentType()).startsWith("text/plain; version=0.0.4");
  }

  @Test
  void latencyQuantilesInterpolateWithinTheirBucketAsPrometheusDoes() {
    long[] buckets = new long[LatencyCounts.BOUNDS_NANOS.length + 1];
    buckets[0] = 50; // up to 100 us
    buckets[1] = 50; // 100 us to 250 us
    DispatchMetrics.Latencies l = new DispatchMetrics.Latencies(buckets, 0);
    assertThat(l.quantileSeconds(0.5)).isCloseTo(100e-6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(l.quantileSeconds(0.75)).isCloseTo(175e-6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(l.quantileSeconds(1)).isCloseTo(250e-6, org.assertj.core.data.Offset.offset(1e-9));
    long[] earlier = new long[buckets.length];
    earlier[0] = 50;
    assertThat(l.minus(new DispatchMetrics.Latencies(earlier, 0)).quantileSeconds(0.5))
        .isCloseTo(175e-6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(new DispatchMetrics.Latencies(new long[buckets.length], 0).quantileSeconds(0.5)).isNaN();
  }

  @Test
  void typesBeyondTheCapShareTheOtherLabel() {
    TaskTypeTable table = new TaskTypeTable();
    for (int i = 0; i < TaskTypeTable.MAX_LABELLED_TYPES + 5; i++) {
      table.getOrCreate("type-" + i);
    }
    assertThat(table.stats()).hasSize(TaskTypeTable.MAX_LABELLED_TYPES + 1);
    assertThat(table.stats().get(TaskTypeTable.MAX_LABELLED_TYPES).label).isEqualTo("other");
    assertThat(table.getOrCreate("type-" + TaskTypeTable.MAX_LABELLED_TYPES).stats)
        .isSameAs(table.getOrCreate("type-" + (TaskTypeTable.MAX_LABELLED_TYPES + 4)).stats);
  }

  private static Map<String, Double> samples(MetricsScrape.Response r) {
    return PrometheusText.samples(r.body());
  }
}
