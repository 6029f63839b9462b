package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's bookkeeping with fake worker processes: what the real JVM would write (a
 * recording, its CDS messages) is written by the test.
 */
class ClassDataArchiveTest {
  private static final List<String> COMMAND = List.of("java", "-cp", "handlers.jar", "Main");

  @TempDir Path cache;
  @TempDir Path runtime;
  @TempDir Path jars;
  private Path jar;
  private ClassDataArchive archive;
  private long nextPid = 1_000_000;

  @BeforeEach
  void open() throws IOException {
    jar = Files.write(jars.resolve("handlers.jar"), new byte[] {1, 2, 3});
    archive = ClassDataArchive.in(cache, runtime, COMMAND, List.of(jar), Map.of());
  }

  /** Starts a fake worker with what the archive gives it, writing its recording as the JVM would. */
  private FakeProcess start(ClassDataArchive.Use use) throws IOException {
    FakeProcess p = new FakeProcess(nextPid++);
    archive.started(use, p);
    return p;
  }

  private static void record(ClassDataArchive.Use use, int bytes) throws IOException {
    Files.write(use.recordingFile(), new byte[bytes]);
  }

  private List<String> cacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRecordingIsPublishedWhenItsWorkerRegisteredAndExitedCleanly() throws IOException {
    ClassDataArchive.Use use = archive.nextWorker();
    assertThat(use.options()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    FakeProcess recorder = start(use);
    archive.workerRegistered(recorder.pid());
    record(use, 4096);
    archive.workerExited(recorder.pid(), recorder.exit(0).exitValue());

    assertThat(cacheFiles()).containsExactly(use.archive().getFileName().toString());
    ClassDataArchive.Use next = archive.nextWorker();
    assertThat(next.options()).contains("-XX:SharedArchiveFile=" + use.archive());
  }

  @Test
  void aWorkerThatFailsToStartLeavesNoArchiveAndTheNextRecordingWaitsForARegistration() throws IOException {
    ClassDataArchive.Use use = archive.nextWorker();
    FakeProcess failed = start(use);
    record(use, 4096); // a JVM that exits through System.exit still writes its (near empty) archive
    archive.workerExited(failed.pid(), failed.exit(3).exitValue());

    assertThat(cacheFiles()).isEmpty();
    assertThat(archive.nextWorker()).as("no recording while workers keep failing").isEqualTo(ClassDataArchive.Use.NONE);
    FakeProcess plain = start(ClassDataArchive.Use.NONE);
    archive.workerRegistered(plain.pid());
    assertThat(archive.nextWorker().recordingFile()).as("a worker started: record again").isNotNull();
  }

  @Test
  void aRecordingWorkerKilledWhileWritingLeavesNeitherArchiveNorTemporaryFile() throws IOException {
    ClassDataArchive.Use use = archive.nextWorker();
    FakeProcess recorder = start(use);
    archive.workerRegistered(recorder.pid());
    record(use, 100); // half-written: a JVM mapping it would die of SIGBUS
    archive.workerExited(recorder.pid(), recorder.exit(128 + 9).exitValue());

    assertThat(cacheFiles()).isEmpty();
  }

  @Test
  void closingSettlesARecordingWhoseExitWasNotReported() throws IOException {
    ClassDataArchive.Use use = archive.nextWorker();
    FakeProcess recorder = start(use);
    archive.workerRegistered(recorder.pid());
    record(use, 4096);
    recorder.exit(0); // the master stopped before the supervisor handled the exit
    archive.close();

    assertThat(cacheFiles()).containsExactly(use.archive().getFileName().toString());
  }

  @Test
  void closingDeletesTheRecordingOfAWorkerStillRunning() throws IOException {
    ClassDataArchive.Use use = archive.nextWorker();
    FakeProcess recorder = start(use);
    archive.workerRegistered(recorder.pid());
    record(use, 4096);
    archive.close();

    assertThat(cacheFiles()).isEmpty();
  }

  @Test
  void theJvmsCdsMessagesGoToAFilePerWorkerInTheRuntimeDirectory() {
    ClassDataArchive.Use use = archive.nextWorker();
    assertThat(use.options())
        .contains("-Xlog:cds*=off", "-Xlog:cds*=warning:file=\"" + runtime.resolve("cds-%p.log") + "\"::filecount=0");
  }

  @Test
  void anArchiveTheJvmRefusesIsDeletedOnceAndRecordedAgain() throws IOException {
    Path published = publishOne();
    ClassDataArchive.Use a = archive.nextWorker();
    ClassDataArchive.Use b = archive.nextWorker();
    FakeProcess first = start(a);
    FakeProcess second = start(b);
    String refusal = "[0.013s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: x.jsa";
    Files.writeString(runtime.resolve("cds-" + first.pid() + ".log"), refusal + "\n");
    Files.writeString(runtime.resolve("cds-" + second.pid() + ".log"), refusal + "\n");
    try (LogCapture log = LogCapture.of(ClassDataArchive.class)) {
      archive.workerRegistered(first.pid());
      archive.workerRegistered(second.pid());
      assertThat(log.events(e -> e.getFormattedMessage().contains("refused")))
          .as("one warning, not one per worker")
          .hasSize(1);
    }
    assertThat(published).doesNotExist();
    assertThat(archive.nextWorker().recordingFile()).isNotNull();
    archive.workerExited(first.pid(), first.exit(0).exitValue());
    assertThat(runtime.resolve("cds-" + first.pid() + ".log")).as("deleted when its worker exits").doesNotExist();
  }

  @Test
  void afterTwoRefusedArchivesWorkersStartWithoutOne() throws IOException {
    for (int i = 0; i < ClassDataArchive.MAX_REFUSALS; i++) {
      publishOne();
      ClassDataArchive.Use use = archive.nextWorker();
      FakeProcess p = start(use);
      Files.writeString(runtime.resolve("cds-" + p.pid() + ".log"), "[error][cds] Not a valid shared archive file\n");
      archive.workerRegistered(p.pid());
    }
    assertThat(archive.nextWorker()).isEqualTo(ClassDataArchive.Use.NONE);
  }

  @Test
  void aWorkerMappingTheArchiveThatDiesOfAJvmFatalErrorBeforeRegisteringDropsIt() throws IOException {
    Path published = publishOne();
    ClassDataArchive.Use use = archive.nextWorker();
    FakeProcess p = start(use);
    archive.workerExited(p.pid(), p.exit(128 + 6).exitValue()); // SIGBUS in the JVM, then abort()
    assertThat(published).doesNotExist();
  }

  @Test
  void aWorkerMappingTheArchiveThatFailsForItsOwnReasonsKeepsIt() throws IOException {
    Path published = publishOne();
    ClassDataArchive.Use use = archive.nextWorker();
    FakeProcess p = start(use);
    archive.workerExited(p.pid(), p.exit(3).exitValue());
    assertThat(published).exists();
  }

  @Test
  void aJarReplacedWhileTheMasterRunsGetsANewArchiveAtTheNextSpawn() throws IOException {
    Path before = publishOne();
    Files.write(jar, new byte[] {1, 2, 3, 4});
    ClassDataArchive.Use use = archive.nextWorker();
    assertThat(use.recordingFile()).as("records for the new jar").isNotNull();
    assertThat(use.archive()).isNotEqualTo(before);
  }

  /** Records and publishes the archive for the current inputs. */
  private Path publishOne() throws IOException {
    ClassDataArchive.Use use = archive.nextWorker();
    FakeProcess p = start(use);
    archive.workerRegistered(p.pid());
    record(use, 4096);
    archive.workerExited(p.pid(), p.exit(0).exitValue());
    assertThat(use.archive()).exists();
    return use.archive();
  }
}
