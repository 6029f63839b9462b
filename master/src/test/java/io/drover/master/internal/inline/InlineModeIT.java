package io.drover.master.internal.inline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.Job;
import io.drover.client.TaskOptions;
import io.drover.master.DroverMaster;
import io.drover.master.testing.TestMasters;
import io.drover.client.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code master --inline}: the handlers run inside the master, on one handler thread here, and
 * still honour deadlines and cancellation (a 30-second sleep is interrupted, so the next blocking
 * task runs at once), and jobs.
 */
class InlineModeIT {
  private static DroverMaster master;
  private static DroverClient client;

  @BeforeAll
  static void start() throws Exception {
    master =
        DroverMaster.start(
            TestMasters.config(1).inline(true).workerCapacity(1).maxInFlightPerWorker(1).build());
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

  @BeforeEach
  void nothingLeftFromTheLastTest() {
    await().atMost(Duration.ofSeconds(30)).until(() -> master.tasksInProgress() == 0);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void assertTheHandlerThreadIsFreeAgain() throws Exception {
    // One handler thread: had the long sleep not been interrupted, this would wait behind it.
    assertThat(client.submit("sleep", ascii("1")).get(60, TimeUnit.SECONDS)).asString().isEqualTo("1");
  }

  @Test
  void runsTasksAndJobs() throws Exception {
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      results.add(client.submit(i % 2 == 0 ? "echo" : "sleep", ascii(i % 2 == 0 ? "e" + i : "0")));
    }
    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i).get(30, TimeUnit.SECONDS)).asString().isEqualTo(i % 2 == 0 ? "e" + i : "0");
    }
    var outcome =
        client.submitJob(Job.builder("wordcount").add(ascii("a b c")).add(ascii("d")).reduce("sum").build())
            .get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).isTrue();
    assertThat(outcome.reduce().get().body()).asString().isEqualTo("4");
  }

  @Test
  void aDeadlineInterruptsTheRunningHandler() throws Exception {
    CompletableFuture<byte[]> sleep =
        client.submit("sleep", ascii("30000"), TaskOptions.defaults().withDeadline(Duration.ofMillis(300)));
    assertThatThrownBy(() -> sleep.get(60, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(DroverTaskException.class, e -> assertThat(e.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED));
    assertTheHandlerThreadIsFreeAgain();
  }

  @Test
  void aClientCancelInterruptsTheRunningHandler() throws Exception {
    CompletableFuture<byte[]> sleep = client.submit("sleep", ascii("30000"));
    await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 1);
    sleep.cancel(true);
    await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 0);
    assertTheHandlerThreadIsFreeAgain();
  }
}
