package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.master.testing.DroverScript;
import io.drover.master.testing.DroverScript.Result;
import io.drover.master.testing.TestMasters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover master --worker-main-class C} needs C's jar on {@code --worker-classpath}. */
class WorkerMainClassIT {
  private static final String MAIN = "io.drover.diagnostics.EmbeddedWorkerMain";

  @TempDir Path tmp;

  @Test
  void aMainClassNotOnTheWorkerClasspathIsOneLineNamingBothOptionsAndNoWorkerIsSpawned() throws Exception {
    // The diagnostics jar holds the class; the default worker classpath (the examples) does not.
    Result r =
        DroverScript.run(
            tmp, "master", "--port", Integer.toString(DroverScript.freePort()), "--no-worker-cds",
            "--worker-main-class", MAIN);
    assertThat(r.exitCode()).as("exit code; stdout:%n%s", r.stdout()).isEqualTo(1);
    assertThat(r.stdout()).as("nothing logged, nothing spawned").isEmpty();
    assertThat(r.stderr().lines()).as("stderr").hasSize(1);
    assertThat(r.stderr())
        .startsWith("drover master: cannot start: worker main class " + MAIN + " (--worker-main-class) is not on the worker classpath [")
        .contains("drover-examples.jar]: add the jar or directory that holds it with --worker-classpath");
  }

  @Test
  void withItsJarOnTheWorkerClasspathTheMasterServes() throws Exception {
    Process master =
        new ProcessBuilder(
                DroverScript.DROVER.toString(), "master", "--port", Integer.toString(DroverScript.freePort()),
                "--workers", "1", "--no-worker-cds", "--worker-main-class", MAIN,
                "--worker-classpath", TestMasters.diagnosticsJar().toString(),
                "--worker-env", "DROVER_RECORD_DIR=" + tmp)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("master.log").toFile())
            .start();
    try {
      await("master serving")
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(tmp.resolve("master.log")).contains("Drover master listening on /"));
      assertThat(Files.readString(tmp.resolve("master.log"))).contains("serves [recorded-sleep]");
    } finally {
      DroverScript.destroyWithDescendants(master);
    }
  }
}
