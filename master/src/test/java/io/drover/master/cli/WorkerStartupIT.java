package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.master.testing.DroverScript;
import io.drover.master.testing.DroverScript.Result;
import io.drover.master.testing.TestMasters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code drover master} answers about its workers' handlers, run as a user runs it (through
 * {@code scripts/drover}): a worker classpath that cannot work is one line and exit code 1 before
 * any worker is spawned; workers that all fail at start-up end the master with their reasons; the
 * task types the workers serve are logged, and an unknown type's answer points at the classpath.
 */
class WorkerStartupIT {
  private static final Pattern SPAWNED = Pattern.compile("worker \\d+ \\(pid (\\d+)\\): STOPPED -> STARTING");

  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stopMaster() throws InterruptedException {
    DroverScript.destroyWithDescendants(master);
  }

  /** Starts {@code drover master} with {@code args}, its output in {@code log}, and waits until it serves. */
  private void startMaster(Path log, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DroverScript.DROVER.toString(), "master", "--no-worker-cds"));
    cmd.addAll(List.of(args));
    master = DroverScript.startMaster(new ProcessBuilder(cmd), log);
  }

  /** {@code drover master} on a free port, with no class-data archive, and {@code extra}. */
  private Result failedMaster(String... extra) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("master", "--port", Integer.toString(DroverScript.freePort()), "--no-worker-cds"));
    args.addAll(List.of(extra));
    Result r = DroverScript.run(tmp, args.toArray(String[]::new));
    assertThat(r.exitCode()).as("exit code; stdout:%n%s", r.stdout()).isEqualTo(1);
    assertThat(r.stderr().lines()).as("stderr").hasSize(1);
    assertThat(r.stdout()).doesNotContain("listening on");
    return r;
  }

  /** A master whose worker classpath is refused: one line, and no worker ever spawned. */
  private String refusedClasspath(String... extra) throws IOException, InterruptedException {
    Result r = failedMaster(extra);
    assertThat(r.stdout()).as("nothing logged, nothing spawned").isEmpty();
    return r.stderr().strip();
  }

  @Test
  void aMissingWorkerJarIsNamedBeforeAnyWorkerIsSpawned() throws Exception {
    Path missing = tmp.resolve("my-handlers.jar");
    assertThat(refusedClasspath("--worker-classpath", missing.toString()))
        .isEqualTo("drover master: cannot start: worker classpath: " + missing + " does not exist");
  }

  @Test
  void aTextFileNamedJarIsNamedAsNotAJar() throws Exception {
    Path text = Files.writeString(tmp.resolve("handlers.jar"), "public class Upper {}\n");
    assertThat(refusedClasspath("--worker-classpath", text.toString()))
        .isEqualTo("drover master: cannot start: worker classpath: " + text + " is not a jar (it is not a zip file)");
  }

  @Test
  void aJarWithNoHandlersIsNamed() throws Exception {
    Path jar = tmp.resolve("no-handlers.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    new JarOutputStream(Files.newOutputStream(jar), manifest).close();
    assertThat(refusedClasspath("--worker-classpath", jar.toString()))
        .startsWith(
            "drover master: cannot start: worker classpath: no TaskHandler in " + jar
                + " (no class listed in META-INF/services/io.drover.worker.TaskHandler;");
  }

  @Test
  void workersThatAllExitAtStartupEndTheMasterWithTheirReasonAndLeaveNothingRunning() throws Exception {
    Result r =
        failedMaster(
            "--workers", "2",
            "--worker-classpath", TestMasters.diagnosticsJar().toString(),
            "--worker-main-class", "io.drover.diagnostics.ExitAtStartupMain");
    assertThat(r.stderr().strip())
        .isEqualTo(
            "drover master: cannot start: every worker failed at start-up: workers 1, 2: exited unexpectedly"
                + " (exit code 3), stderr: drover diagnostics: exiting at start-up with code 3 as asked"
                + " (--keep-waiting-for-workers serves anyway)");
    assertAllGone(spawnedPids(r.stdout()));
  }

  @Test
  void aWorkerThatNeverRegistersEndsTheMasterAtTheStartTimeout() throws Exception {
    Result r =
        failedMaster(
            "--workers", "1",
            "--worker-start-timeout", "2",
            "--kill-grace", "0.5",
            "--worker-classpath", TestMasters.diagnosticsJar().toString(),
            "--worker-main-class", "io.drover.diagnostics.HangAtStartupMain");
    assertThat(r.stderr())
        .startsWith("drover master: cannot start: ")
        .containsPattern("(no worker became ready within 2 s|every worker failed at start-up): worker 1: ")
        .contains("stderr: drover diagnostics: hanging at start-up, never registering, as asked");
    assertAllGone(spawnedPids(r.stdout()));
  }

  @Test
  void keepWaitingForWorkersServesWithNoneReadyAndSaysSo() throws Exception {
    Path log = tmp.resolve("master.log");
    startMaster(
        log,
        "--port", Integer.toString(DroverScript.freePort()),
        "--workers", "1", "--worker-start-timeout", "1", "--keep-waiting-for-workers",
        "--worker-classpath", TestMasters.diagnosticsJar().toString(),
        "--worker-main-class", "io.drover.diagnostics.ExitAtStartupMain");
    String out = Files.readString(log);
    assertThat(out).contains("with 0 of 1 workers ready (restarting the others)");
    assertThat(out).contains("0 of 1 workers ready at start-up; serving with none (--keep-waiting-for-workers)");
    master.destroy(); // SIGTERM
    assertThat(master.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(master.exitValue()).as(Files.readString(log)).isZero();
    assertAllGone(spawnedPids(Files.readString(log)));
  }

  @Test
  void theServedTaskTypesAreLoggedAndAnUnknownTypePointsAtTheWorkerClasspath() throws Exception {
    int port = DroverScript.freePort();
    Path log = tmp.resolve("master.log");
    Path diagnostics = TestMasters.diagnosticsJar();
    startMaster(log, "--port", Integer.toString(port), "--workers", "2", "--worker-classpath", diagnostics.toString());
    String served = "workers serve task types [allocate, big, crash, fuzz-worker-socket, hang, print, skewed, spin, stubborn, trace, whoami]";
    assertThat(Files.readString(log).lines().filter(l -> l.contains("workers serve task types")))
        .as("logged once for two workers with the same handlers")
        .singleElement()
        .asString()
        .contains("INFO ")
        .endsWith(served + " (from --worker-classpath " + diagnostics + ")");

    Result echo = DroverScript.run(tmp, "submit", "--port", Integer.toString(port), "--type", "echo", "--payload", "x");
    assertThat(echo.exitCode()).isEqualTo(1);
    assertThat(echo.stderr().strip())
        .isEqualTo(
            "drover submit: UNKNOWN_TASK_TYPE: no worker serves task type 'echo' (served: [allocate, big, crash, fuzz-worker-socket,"
                + " hang, print, skewed, spin, stubborn, trace, whoami]; handlers come from --worker-classpath)");

    master.destroy();
    assertThat(master.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  private static List<Long> spawnedPids(String log) {
    List<Long> pids = new ArrayList<>();
    Matcher m = SPAWNED.matcher(log);
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    assertThat(pids).as("workers spawned").isNotEmpty();
    return pids;
  }

  private static void assertAllGone(List<Long> pids) {
    await("workers gone")
        .atMost(Duration.ofSeconds(60))
        .until(() -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
  }
}
