package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.Job;
import io.drover.client.JobOutcome;
import io.drover.client.SubtaskOutcome;
import io.drover.client.TaskOptions;
import io.drover.master.DroverMaster;
import io.drover.master.testing.TestMasters;
import io.drover.client.TaskStatus;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scatter/gather jobs through a master with three real worker JVMs: ordered results with each
 * subtask's status, streaming, the job deadline, cancellation, the reduce step, and a client that
 * leaves mid-job.
 */
@ExtendWith(LeakDetectionExtension.class)
class JobIT {
  private static DroverMaster master;
  private static DroverClient client;

  @BeforeAll
  static void start() throws Exception {
    master = DroverMaster.start(TestMasters.config(3).build());
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

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ascii(s)));
  }

  @Test
  void aThousandSubtasksComeBackInOrderWithTheFailingOneReportedAndTheRestIntact() throws Exception {
    int failing = 617;
    Job.Builder builder = Job.builder("echo");
    for (int i = 0; i < 1_000; i++) {
      if (i == failing) {
        builder.add("sleep", ascii("not a number")); // the handler throws
      } else if (i % 3 == 0) {
        builder.add("sha256", ascii("payload " + i));
      } else {
        builder.add(ascii("payload " + i));
      }
    }
    JobOutcome outcome = client.submitJob(builder.build()).get(60, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(TaskStatus.SUBTASK_FAILED);
    assertThat(outcome.message()).contains("1 of 1000 subtasks failed").contains("#617 HANDLER_ERROR");
    assertThat(outcome.subtasks()).hasSize(1_000);
    for (int i = 0; i < 1_000; i++) {
      SubtaskOutcome s = outcome.subtasks().get(i);
      assertThat(s.index()).isEqualTo(i);
      if (i == failing) {
        assertThat(s.status()).isEqualTo(TaskStatus.HANDLER_ERROR);
        assertThat(s.message()).contains("not a number");
        assertThat(s.body()).isEmpty();
      } else {
        assertThat(s.status()).as("subtask %d", i).isEqualTo(TaskStatus.OK);
        assertThat(s.attempts()).isEqualTo(1);
        String expected = i % 3 == 0 ? sha256("payload " + i) : "payload " + i;
        assertThat(text(s.body())).as("subtask %d", i).isEqualTo(expected);
      }
    }
    assertThat(outcome.failed()).extracting(SubtaskOutcome::index).containsExactly(failing);
    assertThat(outcome.reduce()).isEmpty();
  }

  @Test
  void aJobWhoseSubtasksAllSucceedIsOk() throws Exception {
    JobOutcome outcome =
        client.submitJob(Job.of("echo", List.of(ascii("a"), ascii(""), ascii("c")))).get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).isTrue();
    assertThat(outcome.message()).isEmpty();
    assertThat(outcome.subtasks()).extracting(s -> text(s.body())).containsExactly("a", "", "c");
  }

  @Test
  void aJobDeadlineShorterThanItsSlowestSubtaskCompletesOnTimeWithThatSubtaskDeadlineExceeded()
      throws Exception {
    Job.Builder builder = Job.builder("sleep");
    for (int i = 0; i < 20; i++) {
      builder.add(ascii(i == 13 ? "600000" : "10"));
    }
    long start = System.nanoTime();
    JobOutcome outcome =
        client
            .submitJob(builder.build(), TaskOptions.defaults().withDeadline(Duration.ofMillis(1_000)))
            .get(2, TimeUnit.MINUTES);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // Answered at the deadline (never before it), not after the ten-minute subtask: an answer
    // within the two-minute guard above can only be the deadline's.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(1_000L);
    assertThat(outcome.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED);
    assertThat(outcome.message()).contains("the job's deadline of 1 s passed");
    for (SubtaskOutcome s : outcome.subtasks()) {
      if (s.index() == 13) {
        assertThat(s.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED);
      } else {
        assertThat(s.status()).as("subtask %d", s.index()).isEqualTo(TaskStatus.OK);
        assertThat(text(s.body())).isEqualTo("10");
      }
    }
    // The slow subtask was stopped on its worker, not left to sleep out its 30 seconds.
    await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 0);
  }

  @Test
  void aStreamedJobDeliversEverySubtaskOnceBeforeItsOutcome() throws Exception {
    int n = 300;
    Job.Builder builder = Job.builder("echo");
    for (int i = 0; i < n; i++) {
      builder.add(ascii("s" + i));
    }
    ConcurrentHashMap<Integer, String> streamed = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    CompletableFuture<JobOutcome> future =
        client.submitJob(
            builder.build(),
            TaskOptions.defaults(),
            s -> {
              if (streamed.put(s.index(), text(s.body())) != null) {
                duplicates.incrementAndGet();
              }
            });
    JobOutcome outcome = future.get(30, TimeUnit.SECONDS);
    assertThat(streamed).hasSize(n);
    assertThat(duplicates).hasValue(0);
    for (int i = 0; i < n; i++) {
      assertThat(streamed.get(i)).isEqualTo("s" + i);
      // The final answer leaves streamed bodies out; the client puts them back.
      assertThat(text(outcome.subtasks().get(i).body())).isEqualTo("s" + i);
    }
    assertThat(outcome.isOk()).isTrue();
  }

  @Test
  void theReduceStepRunsOnTheGatheredResultsAndItsResultIsTheJobs() throws Exception {
    Job.Builder builder = Job.builder("wordcount").reduce("sum");
    long words = 0;
    for (int i = 0; i < 50; i++) {
      String line = "word ".repeat(i) + "end";
      words += i + 1;
      builder.add(ascii(line));
    }
    JobOutcome outcome = client.submitJob(builder.build()).get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).isTrue();
    assertThat(outcome.reduce()).isPresent();
    assertThat(outcome.reduce().get().status()).isEqualTo(TaskStatus.OK);
    assertThat(text(outcome.reduce().get().body())).isEqualTo(Long.toString(words));
    // With a reduce step the subtasks' own results are not sent back, only their statuses.
    assertThat(outcome.subtasks()).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(TaskStatus.OK);
      assertThat(s.body()).isEmpty();
    });
  }

  @Test
  void aReduceStepThatFailsIsReported() throws Exception {
    Job job =
        Job.builder("wordcount").add(ascii("two words")).add("sleep", ascii("nan")).reduce("sum").build();
    JobOutcome outcome = client.submitJob(job).get(30, TimeUnit.SECONDS);
    assertThat(outcome.status()).isEqualTo(TaskStatus.SUBTASK_FAILED);
    assertThat(outcome.subtasks().get(1).status()).isEqualTo(TaskStatus.HANDLER_ERROR);
    assertThat(outcome.reduce().get().status()).isEqualTo(TaskStatus.HANDLER_ERROR);
    assertThat(outcome.reduce().get().message()).contains("subtask 1 has no result");
    assertThat(outcome.message()).contains("reduce 'sum' failed");
  }

  @Test
  void unknownTypesFailTheirSubtaskButAnUnknownReduceTypeRefusesTheJob() throws Exception {
    JobOutcome outcome =
        client
            .submitJob(Job.builder().add("echo", ascii("x")).add("no-such-type", ascii("y")).build())
            .get(30, TimeUnit.SECONDS);
    assertThat(outcome.status()).isEqualTo(TaskStatus.SUBTASK_FAILED);
    assertThat(outcome.subtasks().get(0).status()).isEqualTo(TaskStatus.OK);
    assertThat(outcome.subtasks().get(1).status()).isEqualTo(TaskStatus.UNKNOWN_TASK_TYPE);
    assertThat(outcome.subtasks().get(1).message()).contains("no-such-type");
    assertThat(outcome.subtasks().get(1).attempts()).isZero();

    assertThatThrownBy(() -> client.submitJob(Job.builder("echo").add(ascii("x")).reduce("no-reducer").build()).get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(DroverTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(TaskStatus.UNKNOWN_TASK_TYPE);
          assertThat(e.detail()).contains("reduce_type").contains("no-reducer");
        });
  }

  @Test
  void anEmptyJobCompletesAtOnce() throws Exception {
    JobOutcome outcome = client.submitJob(Job.builder("echo").build()).get(30, TimeUnit.SECONDS);
    assertThat(outcome.isOk()).isTrue();
    assertThat(outcome.subtasks()).isEmpty();
  }

  @Test
  void cancellingAJobStopsItsSubtasksOnTheWorkers() throws Exception {
    Job.Builder builder = Job.builder("sleep");
    for (int i = 0; i < 6; i++) {
      builder.add(ascii("30000"));
    }
    CompletableFuture<JobOutcome> future = client.submitJob(builder.build());
    await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 6);
    future.cancel(true);
    // Had the CANCEL not reached the workers, their sleeps would hold the tasks for 30 s.
    await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 0);
    assertThat(client.submit("echo", ascii("after")).get(60, TimeUnit.SECONDS)).asString().isEqualTo("after");
  }

  @Test
  void aClientThatLeavesMidJobHasItsSubtasksStoppedAndOthersAreUnaffected() throws Exception {
    try (DroverClient leaver = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      Job.Builder builder = Job.builder("sleep");
      for (int i = 0; i < 6; i++) {
        builder.add(ascii("30000"));
      }
      leaver.submitJob(builder.build());
      await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 6);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 0);
    JobOutcome outcome = client.submitJob(Job.of("echo", List.of(ascii("still"), ascii("fine")))).get(30, TimeUnit.SECONDS);
    assertThat(outcome.subtasks()).extracting(s -> text(s.body())).containsExactly("still", "fine");
  }
}
