package io.drover.master.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskOptions;
import io.drover.client.TaskStatus;
import io.drover.master.DroverMaster;
import io.drover.master.config.MasterConfig;
import io.drover.master.config.MasterConfigBuilder;
import io.drover.master.config.SchedulerKind;
import io.drover.master.status.ReloadOutcome;
import io.drover.master.status.WorkerState;
import io.drover.master.testing.SteadyLoad;
import io.drover.master.testing.TestMasters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reloading a real master's settings, with real worker JVMs, under load. */
class ReloadIT {
  private static final Duration GUARD = Duration.ofMinutes(2);
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private ReloadOutcome reload(MasterConfigBuilder next) throws Exception {
    return master.reload(next.build()).toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private DroverClient client() {
    return DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String whoami(DroverClient c, TaskOptions options) throws Exception {
    return new String(c.submit("whoami", ascii(""), options).get(1, TimeUnit.MINUTES), StandardCharsets.US_ASCII).replaceAll(" pid=.*", "");
  }

  @Test
  void aNewSchedulerChoosesTheNextTasksWorkers() throws Exception {
    MasterConfigBuilder config = TestMasters.configWithDiagnostics(2).scheduler(SchedulerKind.ROUND_ROBIN);
    master = DroverMaster.start(config.build());
    TaskOptions keyed = TaskOptions.defaults().withRoutingKey("customer-42");
    try (DroverClient c = client()) {
      Set<String> before = new HashSet<>();
      for (int i = 0; i < 8; i++) {
        before.add(whoami(c, keyed));
      }
      assertThat(before).as("round-robin ignores the routing key").containsExactlyInAnyOrder("worker=1", "worker=2");

      ReloadOutcome outcome = reload(config.scheduler(SchedulerKind.CONSISTENT_HASH));
      assertThat(outcome.ok()).isTrue();
      assertThat(outcome.applied()).containsExactly("scheduler: round-robin -> consistent-hash");
      assertThat(outcome.generation()).isEqualTo(2);

      Set<String> after = new HashSet<>();
      for (int i = 0; i < 8; i++) {
        after.add(whoami(c, keyed));
      }
      assertThat(after).as("one routing key, one worker").hasSize(1);
    }
    assertThat(master.config().scheduler()).isEqualTo(SchedulerKind.CONSISTENT_HASH);
  }

  @Test
  void aLowerQueueBoundRefusesWhatItNoLongerHolds() throws Exception {
    MasterConfigBuilder config = TestMasters.config(1).workerCapacity(1).maxInFlightPerWorker(1).maxQueuedTasks(100);
    master = DroverMaster.start(config.build());
    try (DroverClient c = client()) {
      assertThat(reload(config.maxQueuedTasks(2)).applied()).containsExactly("max-queued-tasks: 100 -> 2");
      // One task on the worker, two waiting, the rest over the new bound.
      List<CompletableFuture<byte[]>> tasks = new ArrayList<>();
      tasks.add(c.submit("sleep", ascii("1500")));
      await().atMost(GUARD).until(() -> master.tasksInProgress() == 1);
      for (int i = 0; i < 5; i++) {
        tasks.add(c.submit("sleep", ascii("10")));
      }
      int ok = 0;
      int overloaded = 0;
      for (CompletableFuture<byte[]> t : tasks) {
        try {
          t.get(2, TimeUnit.MINUTES);
          ok++;
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(DroverTaskException.class);
          assertThat(((DroverTaskException) e.getCause()).status()).isEqualTo(TaskStatus.OVERLOADED);
          overloaded++;
        }
      }
      assertThat(ok).isEqualTo(3);
      assertThat(overloaded).isEqualTo(3);
    }
  }

  @Test
  void logLevelsChangeLiveAndALoggerNoLongerNamedInheritsAgain() throws Exception {
    MasterConfigBuilder config = TestMasters.config(1);
    master = DroverMaster.start(config.build());
    String name = "io.drover.master.internal.supervise.WorkerSupervisor";
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name);
    assertThat(logger.getLevel()).isNull();
    ReloadOutcome outcome = reload(config.logLevels(java.util.Map.of(name, "debug")));
    assertThat(outcome.applied()).containsExactly("log-level: (as logback.xml says) -> " + name + "=DEBUG");
    assertThat(logger.getLevel()).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
    reload(config.logLevels(java.util.Map.of()));
    assertThat(logger.getLevel()).isNull();
  }

  @Test
  void settingsThatDoNotValidateChangeNothing() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).build());
    MasterConfig before = master.config();
    master.configSource(
        () -> {
          throw new IllegalArgumentException("drover.yaml:3: workers: many (expected: an integer)\ndrover.yaml:4: colour is not a setting");
        });
    ReloadOutcome outcome = master.reload().toCompletableFuture().get(2, TimeUnit.MINUTES);
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.error()).isEqualTo("drover.yaml:3: workers: many (expected: an integer); drover.yaml:4: colour is not a setting");
    assertThat(outcome.generation()).isEqualTo(1);
    assertThat(master.config()).isEqualTo(before);
    assertThat(master.lastReload()).isEqualTo(outcome);

    // A classpath entry that does not exist is refused before anything changes.
    ReloadOutcome missingJar =
        reload(TestMasters.config(1).workerClasspath(List.of(java.nio.file.Path.of("/nonexistent/handlers.jar"))));
    assertThat(missingJar.ok()).isFalse();
    assertThat(missingJar.error()).contains("/nonexistent/handlers.jar");
    assertThat(master.config()).isEqualTo(before);
  }

  @Test
  void theWorkerCountScalesAndListenerChangesWaitForARestart() throws Exception {
    MasterConfigBuilder config = TestMasters.config(1);
    master = DroverMaster.start(config.build());
    int port = master.clientAddress().getPort();
    ReloadOutcome outcome = reload(config.workers(2).port(port + 1));
    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.applied()).contains("workers: 1 -> 2 (scaling up from 1 to 2 workers: starting worker 2)");
    assertThat(outcome.notApplied()).containsExactly("port: 0 -> " + (port + 1));
    await().atMost(GUARD).until(() -> master.workers().size() == 2);
    assertThat(master.config().port()).isZero();
    ReloadOutcome again = reload(config);
    assertThat(again.applied()).isEmpty();
    assertThat(again.generation()).isEqualTo(outcome.generation());
  }

  @Test
  void aRollingRestartUnderLoadReplacesEveryWorkerAndFailsNoTask() throws Exception {
    master = TestMasters.start(3);
    List<Long> before = new ArrayList<>(master.workerPids());
    try (DroverClient c = client()) {
      SteadyLoad load = SteadyLoad.start(c, "sleep", ascii("15"), 24);
      try {
        long from = load.succeeded();
        await().atMost(GUARD).until(() -> load.succeeded() > from + 50);
        String done = master.restartWorkers(null).toCompletableFuture().get(3, TimeUnit.MINUTES);
        assertThat(done).isEqualTo("rolling restart done (drover restart): 3 of 3 workers replaced");
        await("the old workers gone").atMost(GUARD).until(() -> before.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)));
        long after = load.succeeded();
        await().atMost(GUARD).until(() -> load.succeeded() > after + 50);
      } finally {
        load.close();
      }
      assertThat(load.failures()).isEmpty();
    }
    assertThat(master.workerPids()).hasSize(3).doesNotContainAnyElementsOf(before);
  }

  @Test
  void deployingJarsWithANewHandlerUnderLoadServesItWithoutAFailedTask() throws Exception {
    MasterConfigBuilder config = TestMasters.config(2);
    master = DroverMaster.start(config.build());
    try (DroverClient c = client()) {
      ExecutionException unknown =
          org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> c.submit("whoami", ascii("")).get(1, TimeUnit.MINUTES));
      assertThat(((DroverTaskException) unknown.getCause()).status()).isEqualTo(TaskStatus.UNKNOWN_TASK_TYPE);
      SteadyLoad load = SteadyLoad.start(c, "sleep", ascii("15"), 16);
      try {
        ReloadOutcome outcome = reload(config.workerClasspath(List.of(TestMasters.examplesJar(), TestMasters.diagnosticsJar())));
        assertThat(outcome.applied()).anyMatch(l -> l.startsWith("worker-classpath: ")).contains("rolling restart of the workers begun");
        await("the new handler served").atMost(GUARD).ignoreExceptions().until(() -> whoami(c, TaskOptions.defaults()).startsWith("worker="));
        await("the rollout done").atMost(GUARD).until(() -> String.valueOf(master.rolloutStatus()).startsWith("rolling restart done"));
      } finally {
        load.close();
      }
      assertThat(load.failures()).isEmpty();
    }
  }

  @Test
  void aReplacementThatCannotStartStopsTheRolloutAndTheOldWorkersServeOn() throws Exception {
    MasterConfigBuilder config = TestMasters.configWithDiagnostics(2).workerStartTimeout(Duration.ofSeconds(30));
    master = DroverMaster.start(config.build());
    List<Long> before = new ArrayList<>(master.workerPids());
    try (DroverClient c = client()) {
      SteadyLoad load = SteadyLoad.start(c, "sleep", ascii("15"), 16);
      try {
        reload(config.workerMainClass("io.drover.diagnostics.ExitAtStartupMain"));
        await("the rollout stopped").atMost(GUARD).until(() -> String.valueOf(master.rolloutStatus()).startsWith("rolling restart stopped"));
        assertThat(master.rolloutStatus()).contains("0 of 2 workers replaced").contains("worker 1's replacement").contains("exited before it was ready");
        long from = load.succeeded();
        await().atMost(GUARD).until(() -> load.succeeded() > from + 50);
      } finally {
        load.close();
      }
      assertThat(load.failures()).isEmpty();
    }
    assertThat(master.workerPids()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(master.workerState(1)).isEqualTo(WorkerState.READY);
    assertThat(master.workerState(2)).isEqualTo(WorkerState.READY);
  }
}
