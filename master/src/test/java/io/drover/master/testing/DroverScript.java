package io.drover.master.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/drover} as a user does, as a process of its own: a command to its end, or a
 * master left running; and stops what it started.
 */
public final class DroverScript {
  /** The launcher script. */
  public static final Path DROVER = Path.of("..", "scripts", "drover").toAbsolutePath().normalize();

  private DroverScript() {}

  /** How a command ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs {@code drover args} to its end (2 minutes at most), its output in files under {@code tmp}. */
  public static Result run(Path tmp, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DROVER.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("drover %s finished", List.of(args)).isTrue();
    } finally {
      destroyWithDescendants(p);
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * Starts {@code master}, a {@code drover master} command, with its output in {@code log}, and
   * waits until it serves (three minutes at most: a hang guard on a busy machine). A master that exits or does not get there is stopped
   * with its workers, and the test fails with its log.
   */
  public static Process startMaster(ProcessBuilder master, Path log) throws IOException, InterruptedException {
    Process p = master.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await("master serving, or gone")
          .atMost(Duration.ofMinutes(3))
          .until(() -> !p.isAlive() || Files.readString(log).contains("Drover master listening on"));
      assertThat(p.isAlive()).as("master still running; its log:%n%s", Files.readString(log)).isTrue();
      return p;
    } catch (RuntimeException | AssertionError e) {
      destroyWithDescendants(p);
      throw e;
    }
  }

  /** The admin endpoint's HOST:PORT that a master's log names at start-up. */
  public static String adminAddress(Path log) throws IOException {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("admin endpoint at http://([\\d.]+:\\d+)").matcher(Files.readString(log));
    assertThat(m.find()).as("the admin endpoint's line in %s", log).isTrue();
    return m.group(1);
  }

  /**
   * Starts {@code drover master --config CONFIG} with its log in {@code log} and returns it once it
   * serves (see {@link #startMaster(ProcessBuilder, Path)}).
   */
  public static Process startMasterWithConfig(Path config, Path log) throws IOException, InterruptedException {
    return startMaster(new ProcessBuilder(DROVER.toString(), "master", "--config", config.toString()), log);
  }

  /** A free TCP port on the loopback address, for a master's clients. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Kills {@code process} (a master) and whatever it started, if it is still there. */
  public static void destroyWithDescendants(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      children.forEach(ProcessHandle::destroyForcibly);
      // What SIGKILL leaves that the next master would remove: the shared-memory regions of
      // processes that are gone (those of masters still running stay).
      io.drover.protocol.shm.RegionFile.deleteStale(
          io.drover.protocol.shm.RegionFile.DEFAULT_DIRECTORY, io.drover.master.internal.shm.PayloadRegion.FILE_PREFIX);
      io.drover.protocol.shm.RegionFile.deleteStale(
          io.drover.protocol.shm.RegionFile.DEFAULT_DIRECTORY, io.drover.master.internal.shm.WorkerResults.RESULT_FILE_PREFIX);
    }
  }
}
