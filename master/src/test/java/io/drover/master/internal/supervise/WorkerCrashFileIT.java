package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.TaskOptions;
import io.drover.master.DroverMaster;
import io.drover.master.testing.TestMasters;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.status.WorkerSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM that really crashes (a segmentation fault in a handler) writes its {@code hs_err}
 * file into the temp directory, named after its pid, and nothing into its working directory,
 * which is often a source tree.
 */
class WorkerCrashFileIT {
  @TempDir Path workingDirectory;

  @Test
  void aSegfaultingWorkerWritesItsErrorFileToTheTempDirectoryNotItsWorkingDirectory() throws Exception {
    SupervisionSettings inTempDir = SupervisionSettings.builder().workerDirectory(workingDirectory).build();
    try (DroverMaster master =
            DroverMaster.start(TestMasters.configWithDiagnostics(1).supervision(inTempDir).build());
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      long pid = master.workers().get(0).pid();
      Path errorFile = Path.of(System.getProperty("java.io.tmpdir"), "drover-worker-hs_err_pid" + pid + ".log");
      var crash =
          client.submit("crash", "segv".getBytes(StandardCharsets.US_ASCII), TaskOptions.defaults().withNoRetry());
      assertThat(crash).failsWithin(Duration.ofSeconds(60));
      await("worker " + pid + " gone")
          .atMost(Duration.ofSeconds(60))
          .until(() -> master.workers().stream().mapToLong(WorkerSnapshot::pid).noneMatch(p -> p == pid));
      await("the crash report " + errorFile).atMost(Duration.ofSeconds(60)).until(() -> Files.exists(errorFile));
      assertThat(Files.readString(errorFile)).contains("SIGSEGV");
      Files.delete(errorFile);
      try (Stream<Path> left = Files.list(workingDirectory)) {
        assertThat(left).as("files in the worker's working directory").isEmpty();
      }
    }
  }
}
