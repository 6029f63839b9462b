package io.drover.master.internal.supervise;

import io.drover.master.status.WorkerState;
import io.drover.master.status.WorkerTransition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.proto.Heartbeat;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor on its own, with real worker JVMs that never connect ({@code
 * HangAtStartupMain}): the test plays the dispatcher, calling {@link WorkerSupervisor#registered}
 * and {@link WorkerSupervisor#heartbeat} as the dispatch loop would, so that it can order those
 * calls against the supervisor's own timers exactly.
 */
class WorkerSupervisorIT {
  private static final String HANG = "io.drover.diagnostics.HangAtStartupMain";

  private RuntimeDirectory dir;
  private WorkerSupervisor supervisor;

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.close();
    }
    if (dir != null) {
      dir.close();
    }
  }

  /** A dispatcher stand-in: runs loop tasks at once; its first {@code failures} disconnects throw. */
  private static final class FakeDispatcher implements WorkerConnections {
    final AtomicInteger failures;
    final AtomicInteger disconnects = new AtomicInteger();

    FakeDispatcher(int failures) {
      this.failures = new AtomicInteger(failures);
    }

    @Override
    public void disconnect(long pid) {
      disconnects.incrementAndGet();
      if (failures.getAndDecrement() > 0) {
        throw new RejectedExecutionException("dispatch loop unavailable (a test's fault)");
      }
    }

    @Override
    public void drain(long pid) {}

    @Override
    public void execute(Runnable task) {
      task.run();
    }
  }

  private WorkerSupervisor start(MasterConfig config, WorkerConnections connections) throws IOException {
    dir = RuntimeDirectory.create(null);
    supervisor = new WorkerSupervisor(config, dir);
    supervisor.start(connections);
    return supervisor;
  }

  private static MasterConfig hangingWorker(Duration startTimeout, SupervisionSettings supervision) {
    return TestMasters.configWithDiagnostics(1)
        .workerMainClass(HANG)
        .workerStartTimeout(startTimeout)
        .supervision(supervision)
        .build();
  }

  private long onlyPid() {
    return await().atMost(Duration.ofSeconds(30)).until(supervisor::workerPids, pids -> pids.size() == 1).get(0);
  }

  @Test
  void theWatchdogSurvivesAFailingDispatcherCallAndStillReplacesASilentWorker() throws Exception {
    SupervisionSettings fast =
        SupervisionSettings.builder()
            .heartbeatInterval(Duration.ofMillis(200))
            .heartbeatTimeout(Duration.ofSeconds(1))
            .killGrace(Duration.ofSeconds(1))
            .build();
    FakeDispatcher dispatcher = new FakeDispatcher(1);
    try (LogCapture log = LogCapture.of(WorkerSupervisor.class)) {
      start(hangingWorker(Duration.ofSeconds(60), fast), dispatcher);
      long first = registerTheOnlyWorker(-1);
      // No heartbeat ever comes. The watchdog's call to disconnect the worker throws.
      long second = registerTheOnlyWorker(first);
      assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(log.errors())
          .as(LogCapture.describe(log.events()))
          .anyMatch(e -> e.getFormattedMessage().startsWith("worker 1: ") && e.getThrowableProxy() != null);
      // The watchdog is still at work: the replacement, silent in turn, is killed and replaced too.
      registerTheOnlyWorker(second);
      assertThat(dispatcher.disconnects.get()).isEqualTo(2);
    }
  }

  /** Waits for the slot's process other than {@code previous} and registers it; returns its pid. */
  private long registerTheOnlyWorker(long previous) {
    long pid =
        await("a worker process other than " + previous)
            .atMost(Duration.ofSeconds(30))
            .until(() -> supervisor.workerPids().stream().filter(p -> p != previous).findFirst(), Optional::isPresent)
            .orElseThrow();
    assertThat(supervisor.registered(1, pid, 4, List.of("echo"))).isNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.state(1) == WorkerState.READY);
    return pid;
  }

  @Test
  void aRegistrationAcceptedJustBeforeTheStartTimeoutRunsIsNotKilled() throws Exception {
    Duration startTimeout = Duration.ofMillis(500);
    start(hangingWorker(startTimeout, SupervisionSettings.defaults()), new FakeDispatcher(0));
    long pid = onlyPid();
    // Hold the supervisor thread until the start timeout is due, so that it and the registration
    // below are both queued there: the timeout first, as when a registration is accepted on the
    // dispatch loop a moment before the timeout fires.
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong heldAt = new AtomicLong();
    supervisor.runOnSupervisorThread(
        () -> {
          heldAt.set(System.nanoTime());
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> heldAt.get() != 0);
    long due = startTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - heldAt.get() > due);
    assertThat(supervisor.registered(1, pid, 4, List.of("echo"))).as("registration accepted").isNull();
    release.countDown();

    await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.state(1) == WorkerState.READY);
    // A kill would end this JVM within milliseconds of its SIGTERM.
    await("the registered worker stays alive")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(60))
        .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(supervisor.transitions())
        .as("transitions")
        .noneMatch(t -> t.to() == WorkerState.BACKING_OFF || t.reason().contains("did not register"));
  }

  /** The transitions to STARTING so far: every process the supervisor spawned. */
  private List<WorkerTransition> spawns() {
    return supervisor.transitions().stream().filter(t -> t.to() == WorkerState.STARTING).toList();
  }

  @Test
  void aWorkerThatDiesOnceShutdownHasBegunIsNotRestarted() throws Exception {
    start(hangingWorker(Duration.ofSeconds(60), SupervisionSettings.defaults()), new FakeDispatcher(0));
    long pid = registerTheOnlyWorker(-1);
    supervisor.beginShutdown();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // as Ctrl-C kills a worker
    await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.state(1) == WorkerState.STOPPED);
    // A restart would be due at once (the first is): queued on the supervisor thread by now.
    assertThat(supervisor.state(1)).isEqualTo(WorkerState.STOPPED);
    assertThat(supervisor.transitions().get(supervisor.transitions().size() - 1).reason())
        .startsWith("exited unexpectedly (killed by signal 9)")
        .endsWith("; not restarted: the master is shutting down");
    assertThat(spawns()).as("spawns").hasSize(1);
    assertThat(supervisor.workerPids()).isEmpty();
  }

  @Test
  void aRecyclingRequestOnceShutdownHasBegunStartsNoReplacement() throws Exception {
    start(hangingWorker(Duration.ofSeconds(60), SupervisionSettings.defaults()), new FakeDispatcher(0));
    long pid = registerTheOnlyWorker(-1);
    supervisor.beginShutdown();
    supervisor.recycle(1, pid, "served its quota of tasks");
    assertThat(supervisor.state(1)).as("after the request was handled").isEqualTo(WorkerState.READY);
    assertThat(spawns()).as("spawns").hasSize(1);
    assertThat(supervisor.workerPids()).containsExactly(pid);
  }

  @Test
  void aSlotWaitingToRestartWhenShutdownBeginsIsStoppedNotRestarted() throws Exception {
    SupervisionSettings slowSecondRestart =
        SupervisionSettings.builder().restartBackoffInitial(Duration.ofMinutes(10)).restartBackoffMax(Duration.ofMinutes(10)).build();
    start(
        TestMasters.configWithDiagnostics(1)
            .workerMainClass("io.drover.diagnostics.ExitAtStartupMain")
            .supervision(slowSecondRestart)
            .build(),
        new FakeDispatcher(0));
    // The first restart is at once; the second waits for the backoff.
    await().atMost(Duration.ofSeconds(60)).until(() -> spawns().size() == 2 && supervisor.state(1) == WorkerState.BACKING_OFF);
    supervisor.beginShutdown();
    await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.state(1) == WorkerState.STOPPED);
    assertThat(supervisor.transitions().get(supervisor.transitions().size() - 1).reason())
        .isEqualTo("restart cancelled: the master is shutting down");
    assertThat(spawns()).hasSize(2);
  }

  @Test
  void callsFromTheDispatchLoopAfterCloseAreIgnoredQuietly() throws Exception {
    start(hangingWorker(Duration.ofSeconds(60), SupervisionSettings.defaults()), new FakeDispatcher(0));
    long pid = onlyPid();
    supervisor.close();
    assertThatCode(
            () -> {
              supervisor.registered(1, pid, 4, List.of("echo"));
              supervisor.heartbeat(1, pid, Heartbeat.getDefaultInstance());
              supervisor.draining(1, pid);
              supervisor.recycle(1, pid, "served its tasks");
              supervisor.disconnected(1, pid);
            })
        .doesNotThrowAnyException();
  }
}
