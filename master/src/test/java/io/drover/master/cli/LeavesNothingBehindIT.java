package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.master.testing.DroverScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master started by {@code scripts/drover} keeps its files where the environment says, and
 * leaves nothing behind: its runtime directory in {@code TMPDIR} (the JVM alone would ignore
 * it), its worker class-data archives in {@code XDG_CACHE_HOME}, never in the user's home. What a
 * master killed with SIGKILL cannot delete, the next master started there does.
 */
class LeavesNothingBehindIT {
  private static final Path DROVER = Path.of("..", "scripts", "drover").toAbsolutePath().normalize();
  private static final Pattern RUNTIME_DIRECTORY = Pattern.compile("runtime directory (\\S+)\\)");

  @TempDir Path tmp;
  private Path tmpdir;
  private Path cache;
  private Path home;
  private Process master;
  private List<ProcessHandle> workers = List.of();

  @BeforeEach
  void directories() throws IOException {
    tmpdir = Files.createDirectory(tmp.resolve("tmp"));
    cache = Files.createDirectory(tmp.resolve("cache"));
    home = Files.createDirectory(tmp.resolve("home"));
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (master != null && master.isAlive()) {
      master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    workers.forEach(ProcessHandle::destroyForcibly);
  }

  /** Starts a master with one worker; returns its runtime directory, from its log. */
  private Path startMaster(String name) throws IOException, InterruptedException {
    int port = DroverScript.freePort();
    Path log = tmp.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(DROVER.toString(), "master", "--port", Integer.toString(port), "--workers", "1")
;
    Map<String, String> env = pb.environment();
    env.put("TMPDIR", tmpdir.toString());
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("HOME", home.toString());
    master = DroverScript.startMaster(pb, log);
    workers = master.descendants().toList();
    Matcher m = RUNTIME_DIRECTORY.matcher(Files.readString(log));
    assertThat(m.find()).isTrue();
    return Path.of(m.group(1));
  }

  /** The shared-memory payload regions of the master with {@code pid} (in /dev/shm). */
  private static List<String> payloadRegions(long pid) throws IOException {
    return names(io.drover.protocol.shm.RegionFile.DEFAULT_DIRECTORY).stream()
        .filter(f -> f.startsWith(io.drover.master.internal.shm.PayloadRegion.FILE_PREFIX + pid + "-"))
        .toList();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * The build's part (surefire and failsafe settings in the root pom): every test JVM, and through
   * the environment every master and worker a test starts, keeps its temporary files and worker
   * class-data archives under the module's {@code target/}, not in {@code /tmp} or {@code ~/.cache}.
   */
  @Test
  void theTestsRunWithTheirTemporaryAndCacheDirectoriesUnderTarget() {
    Path target = Path.of("target").toAbsolutePath();
    assertThat(Path.of(System.getProperty("java.io.tmpdir"))).startsWith(target);
    assertThat(System.getenv("TMPDIR")).isNotNull();
    assertThat(Path.of(System.getenv("TMPDIR"))).startsWith(target);
    assertThat(System.getenv("XDG_CACHE_HOME")).isNotNull();
    assertThat(Path.of(System.getenv("XDG_CACHE_HOME"))).startsWith(target);
    assertThat(io.drover.master.config.MasterConfig.builder().build().workerClassDataDirectory()).startsWith(target);
  }

  @Test
  void aMasterKeepsToTmpdirAndXdgCacheHomeAndWhatAKilledOneLeavesIsRemovedByTheNext() throws Exception {
    Path first = startMaster("first");
    assertThat(first.getParent()).isEqualTo(tmpdir);
    Path archives = cache.resolve("drover").resolve("cds");
    assertThat(archives).isDirectory();

    long firstPid = master.pid();
    assertThat(payloadRegions(firstPid)).as("its shared-memory region").hasSize(1);
    master.destroyForcibly(); // SIGKILL: no chance to clean up
    assertThat(master.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(payloadRegions(firstPid)).as("the region SIGKILL leaves").hasSize(1);
    await("its worker exits by itself").atMost(Duration.ofSeconds(30)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(first).as("what SIGKILL leaves").isDirectory();
    // The worker was recording the class-data archive, and wrote it when its master went away.
    assertThat(names(archives)).singleElement().asString().endsWith(".tmp");

    Path second = startMaster("second");
    long secondPid = master.pid();
    assertThat(first).as("removed by the next master").doesNotExist();
    assertThat(payloadRegions(firstPid)).as("region removed by the next master").isEmpty();
    assertThat(names(archives)).noneMatch(f -> f.endsWith(".tmp"));

    master.destroy(); // SIGTERM
    assertThat(master.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(master.exitValue()).isZero();
    assertThat(second).doesNotExist();
    assertThat(payloadRegions(secondPid)).as("a stopped master's region").isEmpty();
    assertThat(names(tmpdir)).noneMatch(f -> f.startsWith("drover-"));
    assertThat(names(archives)).singleElement().asString().matches("worker-[0-9a-f]{16}\\.jsa");
    assertThat(names(home)).as("nothing in the user's home").isEmpty();
  }
}
