package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.drover.master.DroverMaster;
import io.drover.master.config.MasterConfig;
import io.drover.master.config.MasterConfigBuilder;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.status.WorkerState;
import io.drover.master.status.WorkerTransition;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.TestMasters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker class-data archive cache with real worker JVMs: what is kept, and what is not. */
class ClassDataArchiveIT {
  @TempDir Path cds;
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private List<String> cacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).sorted().toList();
    }
  }

  private DroverMaster start(MasterConfigBuilder config) throws Exception {
    master = DroverMaster.start(config.workerClassDataDirectory(cds).build());
    return master;
  }

  private void closeMaster() {
    master.close();
    master = null;
  }

  /**
   * A worker that exits before registering (here through System.exit, which still writes the
   * archive) recorded almost nothing: kept, every later worker would map it, and no useful one
   * would ever be recorded.
   */
  @Test
  void aWorkerThatFailsToStartLeavesNoArchive() throws Exception {
    MasterConfig config =
        TestMasters.configWithDiagnostics(1)
            .workerMainClass("io.drover.diagnostics.ExitAtStartupMain")
            .workerClassDataDirectory(cds)
            .supervision(SupervisionSettings.builder().restartBackoffInitial(Duration.ofSeconds(30)).build())
            .build();
    RuntimeDirectory dir = RuntimeDirectory.create(null);
    WorkerSupervisor supervisor = new WorkerSupervisor(config, dir);
    try {
      supervisor.start(new NoConnections());
      await("the worker's exit handled")
          .atMost(Duration.ofSeconds(60))
          .until(() -> supervisor.transitions().stream().anyMatch(t -> t.reason().contains("exit code 3")));
    } finally {
      supervisor.close();
      dir.close();
    }
    assertThat(cacheFiles()).isEmpty();
  }

  /**
   * A worker stopped while it writes the archive (here SIGKILL once the file appears) leaves a
   * half-written file; published, every later worker would map it and die of SIGBUS.
   */
  @Test
  void aWorkerKilledWhileItRecordsLeavesNoArchiveAndTheNextWorkerStarts() throws Exception {
    start(TestMasters.config(1));
    long recorder = master.workerPids().get(0);
    ProcessHandle.of(recorder).orElseThrow().destroy(); // SIGTERM: it drains, exits, and writes the archive
    await("the recording begins")
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .until(() -> cacheFiles().stream().anyMatch(f -> f.endsWith(".tmp")));
    ProcessHandle.of(recorder).ifPresent(ProcessHandle::destroyForcibly);
    WorkerTransition exit =
        await("the recorder's exit handled")
            .atMost(Duration.ofSeconds(60))
            .until(() -> exitOf(recorder), t -> t != null);
    Assumptions.assumeTrue(exit.reason().contains("killed by signal 9"), () -> "the archive was complete before SIGKILL: " + exit.reason());

    assertThat(cacheFiles()).isEmpty();
    await("a replacement worker ready")
        .atMost(Duration.ofSeconds(60))
        .until(() -> master.workerState(1) == WorkerState.READY && !master.workerPids().contains(recorder));
  }

  private WorkerTransition exitOf(long pid) {
    return master.workerTransitions().stream()
        .filter(t -> t.pid() == pid && (t.to() == WorkerState.BACKING_OFF || t.to() == WorkerState.CRASH_LOOP || t.to() == WorkerState.STOPPED))
        .findFirst()
        .orElse(null);
  }

  /**
   * An archive the JVM refuses (here one recorded for another classpath, under this classpath's
   * name) made every worker print a warning at every start; now the master says so once, deletes
   * it, and the next worker records a good one.
   */
  @Test
  void anArchiveTheJvmRefusesIsReportedOnceAndReplaced() throws Exception {
    start(TestMasters.config(1));
    closeMaster();
    Path ours = archives().get(0);
    start(TestMasters.configWithDiagnostics(1));
    closeMaster();
    Path foreign = archives().stream().filter(a -> !a.equals(ours)).findFirst().orElseThrow();
    Files.copy(foreign, ours, StandardCopyOption.REPLACE_EXISTING);

    Predicate<ILoggingEvent> jvmCdsLine = e -> e.getLoggerName().equals("drover.worker") && e.getFormattedMessage().contains("cds");
    Predicate<ILoggingEvent> refused = e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("refused the worker class-data archive");
    try (LogCapture log = LogCapture.all()) {
      start(TestMasters.config(2));
      await("both workers' registrations handled")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !log.events(refused).isEmpty() || log.events(jvmCdsLine).size() >= 2);
      // The replacement is recorded by the next worker spawned: one that drains and exits.
      long first = master.workerPids().get(0);
      ProcessHandle.of(first).orElseThrow().destroy();
      await("the first worker replaced")
          .atMost(Duration.ofSeconds(60))
          .until(() -> master.workers().size() == 2 && !master.workerPids().contains(first));
      closeMaster();
      assertThat(log.events(jvmCdsLine)).as(LogCapture.describe(log.events(jvmCdsLine))).isEmpty();
      assertThat(log.events(refused)).hasSize(1);
    }
    assertThat(ours).exists();
    assertThat(Files.mismatch(ours, foreign)).as("recorded again").isNotEqualTo(-1L);
    try (LogCapture log = LogCapture.all()) {
      start(TestMasters.config(2));
      closeMaster();
      assertThat(log.events(refused.or(jvmCdsLine))).as(LogCapture.describe(log.events(refused.or(jvmCdsLine)))).isEmpty();
    }
    assertThat(cacheFiles()).noneMatch(f -> f.endsWith(".tmp"));
  }

  /** The supervisor's view of the dispatcher, for a test with no dispatcher. */
  private static final class NoConnections implements WorkerConnections {
    @Override
    public void disconnect(long pid) {}

    @Override
    public void drain(long pid) {}

    @Override
    public void execute(Runnable task) {
      task.run();
    }
  }
}
