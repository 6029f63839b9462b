package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.internal.metrics.MetricsScrape;
import io.drover.master.testing.PrometheusText;
import io.drover.master.internal.supervise.SupervisorMetrics;
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

  private final MetricsScrape scrape =
      new MetricsScrape(
          () -> dispatcher.metrics(),
          () -> new SupervisorMetrics(List.of(WorkerState.READY, WorkerState.READY, WorkerState.BACKING_OFF), new long[] {2, 1, 0, 0, 0}));

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
    Map<String, Double> during = samples(scrape.scrape(null));
    assertThat(during).containsEntry("drover_tasks_waiting", 2.0).containsEntry("drover_tasks_in_flight", 1.0);
    assertThat(during).containsEntry("drover_worker_in_flight{worker=\"1\"}", 1.0);

    result(w, single(tasksSentTo(w)).taskId, Status.OK_VALUE, "", bytes("a"));
    result(w, single(tasksSentTo(w)).taskId, Status.HANDLER_ERROR_VALUE, "boom", new byte[0]);
    assertThat(responsesTo(c)).extracting(r -> r.status)
        .containsExactlyInAnyOrder(
            Status.UNKNOWN_TASK_TYPE_VALUE, Status.CANCELLED_VALUE, Status.OK_VALUE, Status.HANDLER_ERROR_VALUE);

    Map<String, Double> m = samples(scrape.scrape(null));
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
        .containsEntry("drover_worker_restarts_total{reason=\"hung\"}", 1.0);
    assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
  }

  @Test
  void aTaskWhoseClientLeftIsCountedDroppedNotCompleted() {
    Worker w = connectWorker(1, 1, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("a"));
    dispatcher.clientPort().clientDisconnected(c.session);
    clients.remove(c);
    result(w, tasksSentTo(w).get(0).taskId, Status.OK_VALUE, "", bytes("a")); // then a CANCEL

    Map<String, Double> m = samples(scrape.scrape(null));
    assertThat(m)
        .containsEntry("drover_tasks_dropped_total{type=\"echo\"}", 1.0)
        .containsEntry("drover_client_connections", 0.0)
        .containsEntry("drover_client_connections_accepted_total", 1.0);
    assertThat(m.keySet()).noneMatch(k -> k.startsWith("drover_tasks_completed_total"));
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() {
    MetricsScrape.Response r = scrape.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(r.contentType()).startsWith("application/openmetrics-text");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");

    MetricsScrape.Response text = scrape.scrape("text/plain");
    assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
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
