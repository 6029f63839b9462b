package io.drover.master.internal.supervise;

import io.drover.master.status.WorkerState;
import io.drover.master.status.WorkerTransition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskOptions;
import io.drover.master.DroverMaster;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.status.WorkerSnapshot;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.TestMasters;
import io.drover.client.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pool heals itself: real worker JVMs killed with real signals while real tasks run. Uses the
 * diagnostic {@code crash} handler, which echoes its payload (on the worker's handler pool) and
 * halts the worker JVM when the payload is {@code halt}.
 */
@ExtendWith(LeakDetectionExtension.class)
class SupervisionIT {
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private DroverClient client() {
    return DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
  }

  /** Submits {@code count} echo tasks through the crash handler; runs {@code midway} after {@code at} results. */
  private List<CompletableFuture<Void>> run(DroverClient client, int count, int at, Runnable midway)
      throws InterruptedException {
    Semaphore window = new Semaphore(256);
    AtomicInteger done = new AtomicInteger();
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    CompletableFuture<Void> fired = new CompletableFuture<>();
    for (int i = 0; i < count; i++) {
      window.acquire();
      byte[] payload = ("task-" + i).getBytes(StandardCharsets.UTF_8);
      CompletableFuture<Void> check =
          client
              .submit("crash", payload)
              .thenAccept(r -> assertThat(r).isEqualTo(payload))
              .whenComplete(
                  (v, e) -> {
                    window.release();
                    if (done.incrementAndGet() == at) {
                      fired.complete(null);
                    }
                  });
      checks.add(check);
      if (i == at + 256 && midway != null) {
        try {
          fired.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          throw new AssertionError(e);
        }
        midway.run();
      }
    }
    return checks;
  }

  private static void assertAllSucceeded(List<CompletableFuture<Void>> checks) throws Exception {
    CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
  }

  private Set<Long> pids() {
    return master.workers().stream().map(WorkerSnapshot::pid).collect(Collectors.toSet());
  }

  @Test
  void killDashNineAWorkerMidRunAndEveryTaskStillCompletesAndThePoolRefills() throws Exception {
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).build());
    Set<Long> before = pids();
    long victim = before.iterator().next();
    try (DroverClient c = client()) {
      List<CompletableFuture<Void>> checks =
          run(c, 20_000, 5_000, () -> ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly));
      assertAllSucceeded(checks);
      assertThat(checks).hasSize(20_000);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> master.workers().size() == 2);
    assertThat(pids()).doesNotContain(victim).hasSize(2);
  }

  @Test
  void aPoisonTaskFailsWithWorkerCrashedAfterMaxAttemptsAndEveryOtherTaskSucceeds() throws Exception {
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).maxAttempts(3).build());
    try (DroverClient c = client()) {
      CompletableFuture<byte[]> poison = c.submit("crash", "halt".getBytes(StandardCharsets.UTF_8));
      List<CompletableFuture<Void>> others = run(c, 2_000, 0, null);
      ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
          ExecutionException.class, () -> poison.get(2, TimeUnit.MINUTES));
      assertThat(failure.getCause()).isInstanceOfSatisfying(DroverTaskException.class, e -> {
        assertThat(e.status()).isEqualTo(TaskStatus.WORKER_CRASHED);
        assertThat(e.attempts()).isEqualTo(3);
      });
      assertAllSucceeded(others);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> master.workers().size() == 2);
  }

  @Test
  void aTaskMarkedNoRetryFailsAtOnceWhenItsWorkerDies() throws Exception {
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).build());
    try (DroverClient c = client()) {
      CompletableFuture<byte[]> once =
          c.submit("crash", "halt".getBytes(StandardCharsets.UTF_8), TaskOptions.defaults().withNoRetry());
      ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
          ExecutionException.class, () -> once.get(1, TimeUnit.MINUTES));
      assertThat(failure.getCause()).isInstanceOfSatisfying(DroverTaskException.class, e -> {
        assertThat(e.status()).isEqualTo(TaskStatus.WORKER_CRASHED);
        assertThat(e.attempts()).isEqualTo(1);
      });
    }
  }

  @Test
  void aStoppedWorkerIsKilledAndReplacedAndItsTasksCompleteElsewhere() throws Exception {
    Duration interval = Duration.ofMillis(200);
    Duration timeout = Duration.ofSeconds(1);
    Duration grace = Duration.ofSeconds(1);
    SupervisionSettings fast =
        SupervisionSettings.builder().heartbeatInterval(interval).heartbeatTimeout(timeout).killGrace(grace).build();
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).supervision(fast).build());
    WorkerSnapshot victim = master.workers().get(0);
    AtomicLong stoppedAt = new AtomicLong();
    try (DroverClient c = client()) {
      List<CompletableFuture<Void>> checks =
          run(c, 20_000, 3_000, () -> {
            stoppedAt.set(System.nanoTime()); // before the signal, so that no delay is left out
            signal("STOP", victim.pid());
          });
      assertAllSucceeded(checks);
    }
    WorkerTransition killed =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> first(t -> t.pid() == victim.pid() && t.to() == WorkerState.BACKING_OFF), Objects::nonNull);
    assertThat(killed.reason()).contains("sent no heartbeat for").contains("killed by signal 9");
    WorkerTransition replaced =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    first(
                        t -> t.workerId() == victim.workerId()
                            && t.to() == WorkerState.READY
                            && t.nanoTime() - killed.nanoTime() > 0),
                Objects::nonNull);
    long replacedAfterMs = TimeUnit.NANOSECONDS.toMillis(replaced.nanoTime() - stoppedAt.get());
    System.out.println("SIGSTOP to the replacement's READY: " + replacedAfterMs + " ms");
    // No upper bound: a JVM's start-up on a busy machine has none. The lower bound says the worker
    // was judged by its silence: its last heartbeat came at most one interval before SIGSTOP, and a
    // stopped process ignores SIGTERM, so only the SIGKILL after the grace ends it.
    assertThat(replacedAfterMs)
        .as("ms from SIGSTOP to the replacement's READY")
        .isGreaterThanOrEqualTo(timeout.minus(interval).plus(grace).toMillis());
    await().atMost(Duration.ofSeconds(30)).until(() -> master.workers().size() == 2);
    assertThat(pids()).doesNotContain(victim.pid());
  }

  /** The oldest transition that matches, or null. */
  private WorkerTransition first(Predicate<WorkerTransition> match) {
    return master.workerTransitions().stream().filter(match).findFirst().orElse(null);
  }

  @Test
  void aSpawnThatThrowsIsAFailedStartAndEverySlotKeepsRestartingWithBackoff() throws Exception {
    // ProcessBuilder.environment() throws IllegalArgumentException for a name holding '='.
    SupervisionSettings badEnvironment =
        SupervisionSettings.builder()
            .workerEnvironment(Map.of("NOT=A_NAME", "x"))
            .restartBackoffInitial(Duration.ofMillis(100))
            .restartBackoffMax(Duration.ofMillis(400))
            .crashLoopThreshold(3)
            .build();
    try (LogCapture log = LogCapture.of(WorkerSupervisor.class)) {
      master =
          DroverMaster.start(
              TestMasters.configWithDiagnostics(2)
                  .workerStartTimeout(Duration.ofSeconds(1))
                  .keepWaitingForWorkers(true) // to watch the restarts
                  .supervision(badEnvironment)
                  .build());
      for (int slot : new int[] {1, 2}) {
        await("slot " + slot + " in crash loop after failed starts")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    master.workerTransitions().stream()
                        .anyMatch(t -> t.workerId() == slot && t.to() == WorkerState.CRASH_LOOP));
        List<WorkerTransition> failed =
            master.workerTransitions().stream()
                .filter(t -> t.workerId() == slot && t.reason().startsWith("cannot start"))
                .toList();
        assertThat(failed).as("failed starts of slot %d", slot).hasSizeGreaterThanOrEqualTo(4);
        assertThat(log.errors())
            .as(LogCapture.describe(log.events()))
            .anyMatch(e -> e.getFormattedMessage().startsWith("worker " + slot + ": cannot start"));
      }
      assertThat(master.workers()).isEmpty();
    }
  }

  @Test
  void aCrashReportQuotesTheEndOfTheWorkersStackTrace() throws Exception {
    SupervisionSettings slowRestarts =
        SupervisionSettings.builder()
            .restartBackoffInitial(Duration.ofSeconds(30))
            .restartBackoffMax(Duration.ofSeconds(30))
            .build();
    // A slow log sink (a throttled journal, a slow disk) holds the output pumps back: when the
    // worker's exit is noticed, most of its 500-line trace is still in the pipe, unread.
    ch.qos.logback.classic.Logger workerOutput =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("drover.worker");
    AppenderBase<ILoggingEvent> slowSink =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
          }
        };
    slowSink.setContext(workerOutput.getLoggerContext());
    slowSink.start();
    workerOutput.addAppender(slowSink);
    try (LogCapture log = LogCapture.of(WorkerSupervisor.class)) {
      master =
          DroverMaster.start(
              TestMasters.configWithDiagnostics(1)
                  .workerMainClass("io.drover.diagnostics.StackTraceAtStartupMain")
                  .workerClassDataDirectory(null) // no archive to record: the JVM exits at once
                  .workerStartTimeout(Duration.ofSeconds(1))
                  .keepWaitingForWorkers(true)
                  .supervision(slowRestarts)
                  .build());
      Predicate<ILoggingEvent> crashReport = e -> e.getFormattedMessage().contains("last stderr lines");
      await("a crash report").atMost(Duration.ofSeconds(30)).until(() -> !log.events(crashReport).isEmpty());
      assertThat(log.events(crashReport).get(0).getFormattedMessage())
          .contains("exited unexpectedly (exit code 1)")
          .as("ends with the trace's last line")
          .matches("(?s).*\\| \tat io\\.drover\\.diagnostics\\.StackTraceAtStartupMain\\.main\\(StackTraceAtStartupMain\\.java:\\d+\\)$");
    } finally {
      workerOutput.detachAppender(slowSink);
      slowSink.stop();
    }
  }

  @Test
  void recyclingByTaskCountUnderLoadLosesNoTask() throws Exception {
    SupervisionSettings recycle = SupervisionSettings.builder().maxTasksPerWorker(2_000).build();
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).supervision(recycle).build());
    Set<Long> original = pids();
    try (DroverClient c = client()) {
      // Enough tasks that each worker, however they are shared, passes its limit (2,000-2,200).
      assertAllSucceeded(run(c, 20_000, 0, null));
    }
    List<WorkerTransition> transitions = master.workerTransitions();
    long spawns = transitions.stream().filter(t -> t.to() == WorkerState.STARTING).count();
    assertThat(spawns).as("workers spawned, first two included").isGreaterThanOrEqualTo(4);
    assertThat(transitions).noneMatch(t -> t.to() == WorkerState.BACKING_OFF);
    await().atMost(Duration.ofSeconds(30)).until(() -> master.workers().size() == 2);
    assertThat(pids()).doesNotContainAnyElementsOf(original);
  }

  @Test
  void aWorkerThatExitsAtStartupBacksOffAsConfiguredAndReachesCrashLoop() throws Exception {
    SupervisionSettings backoff =
        SupervisionSettings.builder()
            .restartBackoffInitial(Duration.ofMillis(400))
            .restartBackoffMax(Duration.ofMillis(1600))
            .crashLoopThreshold(4)
            .crashLoopWindow(Duration.ofSeconds(60))
            .build();
    master = startOneWorkerWithMain("io.drover.diagnostics.ExitAtStartupMain", backoff);
    // Wait for the crash loop and for the restart that follows it.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              List<WorkerTransition> all = master.workerTransitions();
              for (int i = 0; i + 1 < all.size(); i++) {
                if (all.get(i).to() == WorkerState.CRASH_LOOP && all.get(i + 1).to() == WorkerState.STARTING) {
                  return true;
                }
              }
              return false;
            });
    List<WorkerTransition> t = master.workerTransitions();
    // Each restart: the delay the supervisor chose (its transition says "restart in N ms") and
    // the time from that transition to the next spawn, which can only be longer. No upper bound
    // on the measured time: a busy machine may run the restart late, which is not a defect.
    List<Long> chosenMs = new ArrayList<>();
    List<Long> measuredMs = new ArrayList<>();
    java.util.regex.Pattern restartIn = java.util.regex.Pattern.compile("restart in (\\d+) ms");
    for (int i = 0; i + 1 < t.size(); i++) {
      WorkerState to = t.get(i).to();
      if ((to == WorkerState.BACKING_OFF || to == WorkerState.CRASH_LOOP) && t.get(i + 1).to() == WorkerState.STARTING) {
        java.util.regex.Matcher m = restartIn.matcher(t.get(i).reason());
        assertThat(m.find()).as("reason %s", t.get(i).reason()).isTrue();
        chosenMs.add(Long.parseLong(m.group(1)));
        measuredMs.add(TimeUnit.NANOSECONDS.toMillis(t.get(i + 1).nanoTime() - t.get(i).nanoTime()));
      }
    }
    assertThat(chosenMs).as("restart delays %s", chosenMs).hasSizeGreaterThanOrEqualTo(5);
    assertThat(chosenMs.get(0)).as("first restart at once").isZero();
    assertThat(chosenMs.get(1)).as("400 ms with jitter").isBetween(200L, 400L);
    assertThat(chosenMs.get(2)).as("800 ms with jitter").isBetween(400L, 800L);
    assertThat(chosenMs.get(3)).as("1600 ms (the cap) with jitter").isBetween(800L, 1600L);
    assertThat(chosenMs.get(4)).as("fifth crash in the window: crash loop, at the cap").isEqualTo(1600L);
    for (int i = 0; i < chosenMs.size(); i++) {
      // (1 ms of slack: the two clock readings are truncated to milliseconds separately.)
      assertThat(measuredMs.get(i)).as("restart %d waited its delay", i + 1).isGreaterThanOrEqualTo(chosenMs.get(i) - 1);
    }
    assertThat(t).anyMatch(x -> x.to() == WorkerState.CRASH_LOOP && x.reason().contains("restart in 1600 ms"));
  }

  @Test
  void aWorkerThatNeverRegistersIsKilledAtTheStartTimeoutAndReplaced() throws Exception {
    SupervisionSettings quick =
        SupervisionSettings.builder()
            .restartBackoffInitial(Duration.ofMillis(100))
            .restartBackoffMax(Duration.ofMillis(200))
            .killGrace(Duration.ofMillis(500))
            .build();
    master = startOneWorkerWithMain("io.drover.diagnostics.HangAtStartupMain", quick);
    // Two timed-out starts: the first process killed, a second one spawned and killed in turn.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> master.workerTransitions().stream().filter(t -> t.to() == WorkerState.BACKING_OFF).count() >= 2);
    List<WorkerTransition> t = master.workerTransitions();
    List<WorkerTransition> killed = t.stream().filter(x -> x.to() == WorkerState.BACKING_OFF).toList();
    assertThat(killed.get(0).from()).isEqualTo(WorkerState.STARTING);
    assertThat(killed.get(0).reason()).contains("did not register within 1 s, killed");
    assertThat(killed.get(1).pid()).isNotEqualTo(killed.get(0).pid());
    for (WorkerTransition k : killed) {
      assertThat(ProcessHandle.of(k.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d killed", k.pid())
          .isFalse();
    }
    assertThat(master.workers()).isEmpty();
  }

  @Test
  void aWorkerOverItsMemoryLimitIsRecycledWithoutLosingTasks() throws Exception {
    // Any JVM's resident memory is above 1 MiB, so each worker is recycled at its first heartbeat.
    SupervisionSettings tight =
        SupervisionSettings.builder()
            .maxWorkerRssBytes(1L << 20)
            .heartbeatInterval(Duration.ofMillis(200))
            .build();
    master = DroverMaster.start(TestMasters.configWithDiagnostics(1).supervision(tight).build());
    try (DroverClient c = client()) {
      assertAllSucceeded(run(c, 5_000, 0, null));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> master.workerTransitions().stream().anyMatch(x -> x.reason().contains("recycled: resident memory")));
      assertAllSucceeded(run(c, 5_000, 0, null));
    }
    WorkerTransition recycle =
        master.workerTransitions().stream().filter(x -> x.reason().contains("recycled: resident memory")).findFirst().orElseThrow();
    assertThat(recycle.to()).isEqualTo(WorkerState.STARTING);
    assertThat(recycle.reason()).contains("exceeds 1 MiB");
    assertThat(master.workerTransitions()).noneMatch(x -> x.to() == WorkerState.BACKING_OFF);
  }

  /**
   * A master with one worker slot running {@code mainClass}, a 1 s start timeout and {@code
   * supervision}, which keeps serving when its worker fails at start-up, to watch the restarts.
   */
  private static DroverMaster startOneWorkerWithMain(String mainClass, SupervisionSettings supervision)
      throws Exception {
    return DroverMaster.start(
        TestMasters.configWithDiagnostics(1)
            .workerMainClass(mainClass)
            .workerStartTimeout(Duration.ofSeconds(1))
            .keepWaitingForWorkers(true)
            .supervision(supervision)
            .build());
  }

  private static void signal(String name, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).isZero();
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
