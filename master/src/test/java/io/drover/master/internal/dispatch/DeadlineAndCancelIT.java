package io.drover.master.internal.dispatch;

import io.drover.master.status.WorkerSnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskOptions;
import io.drover.master.DroverMaster;
import io.drover.master.testing.TestMasters;
import io.drover.client.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deadlines and cancellation reach the worker: one worker with one handler thread runs a
 * 30-second sleep; when the deadline passes or the client cancels, the handler is interrupted, so
 * the next task runs at once instead of after 30 seconds.
 */
class DeadlineAndCancelIT {
  private static final byte[] LONG_SLEEP = "600000".getBytes(StandardCharsets.US_ASCII);
  private static DroverMaster master;
  private static DroverClient client;

  @BeforeAll
  static void start() throws Exception {
    master =
        DroverMaster.start(TestMasters.configWithDiagnostics(1).workerCapacity(1).maxInFlightPerWorker(1).build());
    client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (master != null) {
      master.close();
    }
  }

  @org.junit.jupiter.api.BeforeEach
  void nothingLeftFromTheLastTest() {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> master.tasksInProgress() == 0);
  }

  private static void assertTheWorkerIsFreeAgain() throws Exception {
    // Had the sleep not been interrupted, this would wait ten minutes behind it.
    assertThat(client.submit("echo", "free".getBytes(StandardCharsets.US_ASCII)).get(2, TimeUnit.MINUTES))
        .asString(StandardCharsets.US_ASCII)
        .isEqualTo("free");
  }

  @Test
  void aDeadlineAnswersARunningTaskAndStopsItOnTheWorker() throws Exception {
    CompletableFuture<byte[]> sleep =
        client.submit("sleep", LONG_SLEEP, TaskOptions.defaults().withDeadline(Duration.ofMillis(500)));
    // The sleep lasts ten minutes: any answer before then is the deadline's.
    assertThatThrownBy(() -> sleep.get(2, TimeUnit.MINUTES))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(DroverTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED);
          assertThat(e.detail()).contains("500 ms");
        });
    assertTheWorkerIsFreeAgain();
  }

  /** Results the worker has returned so far (each task it ran, cancelled or not, returns one). */
  private static long resultsFromTheWorker() {
    return master.workers().stream().mapToLong(WorkerSnapshot::completed).sum();
  }

  @Test
  void aQueuedTaskWhoseDeadlinePassesIsDroppedWithoutRunning() throws Exception {
    long before = resultsFromTheWorker();
    // The worker's only slot hangs until cancelled, so the next task must wait in the master.
    CompletableFuture<byte[]> busy = client.submit("hang", new byte[0]);
    org.awaitility.Awaitility.await().until(() -> master.tasksInProgress() == 1);
    CompletableFuture<byte[]> queued =
        client.submit("echo", "late".getBytes(StandardCharsets.US_ASCII),
            TaskOptions.defaults().withDeadline(Duration.ofMillis(200)));
    assertThatThrownBy(() -> queued.get(60, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(DroverTaskException.class,
            e -> assertThat(e.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED));
    assertThat(busy.isDone()).isFalse();
    assertThat(busy.cancel(true)).isTrue();
    // One slot, one task at a time: once this probe is answered, the worker has returned the
    // result of every task sent to it before, the late echo's included had it been sent.
    assertTheWorkerIsFreeAgain();
    assertThat(resultsFromTheWorker() - before).as("results: the hang, the probe, and no late echo").isEqualTo(2);
    org.awaitility.Awaitility.await().until(() -> master.tasksInProgress() == 0);
  }

  @Test
  void cancellingFromTheClientStopsTheRunningTaskOnItsWorker() throws Exception {
    CompletableFuture<byte[]> sleep = client.submit("sleep", LONG_SLEEP);
    org.awaitility.Awaitility.await().until(() -> master.tasksInProgress() == 1);
    assertThat(sleep.cancel(true)).isTrue();
    assertTheWorkerIsFreeAgain();
    org.awaitility.Awaitility.await().until(() -> master.tasksInProgress() == 0);
  }

  @Test
  void theClientsOwnTimeoutAlsoStopsTheTaskOnItsWorker() throws Exception {
    CompletableFuture<byte[]> sleep =
        client.submit("sleep", LONG_SLEEP, TaskOptions.defaults().withTimeout(Duration.ofMillis(500)));
    assertThatThrownBy(() -> sleep.get(60, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(DroverTaskException.class,
            e -> assertThat(e.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED));
    assertTheWorkerIsFreeAgain();
  }
}
