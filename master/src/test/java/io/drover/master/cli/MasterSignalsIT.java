package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.master.testing.SystemdUnit;
import io.drover.client.TaskStatus;
import io.drover.master.testing.DroverScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Signals to a real master process started by {@code scripts/drover master}. */
class MasterSignalsIT {
  private static final Path DROVER = Path.of("..", "scripts", "drover").toAbsolutePath().normalize();

  @TempDir Path tmp;
  private Process master;
  private List<ProcessHandle> workers = List.of();

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (master != null && master.isAlive()) {
      master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    workers.forEach(ProcessHandle::destroyForcibly);
  }

  private int startMaster(String... extra) throws IOException, InterruptedException {
    int port = DroverScript.freePort();
    Path log = tmp.resolve("master.log");
    List<String> cmd = new java.util.ArrayList<>(List.of(DROVER.toString(), "master", "--port", Integer.toString(port), "--workers", "2"));
    cmd.addAll(List.of(extra));
    master = DroverScript.startMaster(new ProcessBuilder(cmd), log);
    workers = master.descendants().toList();
    assertThat(workers).hasSize(2);
    return port;
  }

  /**
   * What systemd does with the shipped unit ({@code KillMode=mixed}): SIGTERM to the master alone,
   * while tasks run. The master must drain its workers itself and exit 0 within the unit's
   * {@code TimeoutStopSec}, after which systemd would SIGKILL whatever is left.
   */
  @Test
  void sigtermToTheMasterAloneUnderLoadAnswersEveryTaskDrainsTheWorkersAndExitsZero() throws Exception {
    int port = startMaster();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicBoolean shuttingDown = new AtomicBoolean();
    List<CompletableFuture<Void>> all = new java.util.ArrayList<>();
    // The client follows the GOAWAY to a new connection, which nothing accepts any more: within
    // the reconnect bound, what the master refused fails SHUTTING_DOWN, what was never sent fails
    // as not reconnected.
    try (DroverClient client =
        DroverClient.builder().host("127.0.0.1").port(port).reconnectTimeout(Duration.ofSeconds(1)).build()) {
      java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(64);
      for (int i = 0; !shuttingDown.get() && i < 200_000; i++) {
        window.acquire();
        if (i == 2_000) {
          master.destroy(); // SIGTERM while 64 sleep tasks are in flight
        }
        all.add(
            client
                .submit("sleep", "5".getBytes(StandardCharsets.US_ASCII))
                .handle(
                    (r, e) -> {
                      window.release();
                      if (e == null) {
                        ok.incrementAndGet();
                      } else if ((e instanceof java.util.concurrent.CompletionException ? e.getCause() : e)
                              instanceof DroverTaskException t
                          && t.status() == TaskStatus.SHUTTING_DOWN) {
                        refused.incrementAndGet();
                        shuttingDown.set(true);
                      } else if ((e instanceof java.util.concurrent.CompletionException ? e.getCause() : e)
                              instanceof io.drover.client.DroverConnectionException c
                          && c.getMessage().startsWith("could not reconnect")) {
                        refused.incrementAndGet(); // sent after the GOAWAY: no master to take it
                        shuttingDown.set(true);
                      } else {
                        unexpected.add(e);
                      }
                      return null;
                    }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }
    assertThat(unexpected).as("tasks that got neither a result nor SHUTTING_DOWN").isEmpty();
    // Every task answered before the signal was sent succeeded; of the 64 in flight then, those
    // the master had not yet read when the signal arrived may be refused with SHUTTING_DOWN.
    assertThat(ok.get()).isGreaterThanOrEqualTo(2_000 - 64);
    assertThat(refused.get()).isPositive();
    Duration timeoutStopSec = SystemdUnit.timeoutStopSec();
    assertThat(master.waitFor(timeoutStopSec.toMillis(), TimeUnit.MILLISECONDS))
        .as("master exited within TimeoutStopSec=%s", timeoutStopSec)
        .isTrue();
    assertThat(master.exitValue()).isZero();
    // Gone before the master exited: nothing is left for systemd to kill.
    assertThat(workers).noneMatch(ProcessHandle::isAlive);
    String log = Files.readString(tmp.resolve("master.log"));
    for (ProcessHandle w : workers) {
      assertThat(log).as("worker %d drained", w.pid()).contains("(pid " + w.pid() + "): READY -> STOPPED: exited (exit code 0)");
    }
  }

  /**
   * SIGTERM while the workers start (systemd stopping a slow start): the master finishes starting,
   * then shuts down as always, exit 0, its workers drained and its runtime directory gone; not
   * the JVM's default (exit 143, workers and directory left behind).
   */
  @Test
  void sigtermWhileTheWorkersStartStillShutsDownGracefully() throws Exception {
    Path log = tmp.resolve("master.log");
    // The master's TMPDIR as the build gives it: a deeper one would make the worker socket's path
    // longer than a Unix socket allows. Its runtime directory there names it in master.pid.
    Path runtime = Path.of(System.getenv().getOrDefault("TMPDIR", System.getProperty("java.io.tmpdir")));
    ProcessBuilder pb =
        new ProcessBuilder(
                DROVER.toString(), "master", "--port", Integer.toString(DroverScript.freePort()), "--workers", "2",
                "--no-worker-cds")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    master = pb.start();
    await("a worker spawned, or the master gone")
        .atMost(Duration.ofMinutes(3))
        .until(() -> !master.isAlive() || Files.readString(log).contains("spawned"));
    assertThat(master.isAlive()).as("master running; its log:%n%s", Files.readString(log)).isTrue();
    workers = master.descendants().toList();
    master.destroy(); // SIGTERM, most likely before the workers have registered
    assertThat(master.waitFor(2, TimeUnit.MINUTES)).as("master exited").isTrue();
    assertThat(master.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("SIGTERM received").contains("Drover master stopped");
    await("workers gone").atMost(Duration.ofSeconds(60)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
    String pid = Long.toString(master.pid());
    try (var left = Files.list(runtime)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("drover-")))
          .as("runtime directories in %s whose master.pid names pid %s", runtime, pid)
          .noneMatch(dir -> ownedBy(dir, pid));
    }
  }

  private static boolean ownedBy(Path runtimeDirectory, String pid) {
    try {
      return Files.readString(runtimeDirectory.resolve("master.pid")).startsWith(pid + " ");
    } catch (IOException notOurs) {
      return false;
    }
  }

  /**
   * Ctrl-C starts a graceful shutdown that waits for the task in progress; a SIGTERM meanwhile is
   * only logged; a second Ctrl-C exits at once with 130. The log names each signal.
   */
  @Test
  void aSecondCtrlCWhileShuttingDownExitsAtOnceAndTheLogNamesEachSignal() throws Exception {
    int port = startMaster();
    Path log = tmp.resolve("master.log");
    try (DroverClient client = DroverClient.connect("127.0.0.1", port)) {
      CompletableFuture<byte[]> longTask = client.submit("sleep", "120000".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(5));
      client.ping().get(30, TimeUnit.SECONDS); // the master has the task
      signal("INT");
      await("graceful shutdown begun")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("SIGINT (Ctrl-C) received: shutting down gracefully (Ctrl-C again exits at once)"));
      master.destroy(); // SIGTERM
      await("SIGTERM noted")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("SIGTERM received: already shutting down since SIGINT"));
      assertThat(master.isAlive()).as("still waiting for the task in progress").isTrue();
      assertThat(longTask).isNotDone();
      signal("INT");
      assertThat(master.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(master.exitValue()).isEqualTo(130);
    assertThat(Files.readString(log))
        .contains("SIGINT (Ctrl-C) received while shutting down since SIGINT: exiting now with code 130");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(master.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HUP", "USR1"})
  void sighupAndSigusr1AreLoggedAndIgnoredAndTheMasterKeepsServing(String signal) throws Exception {
    int port = startMaster();
    Process sent = new ProcessBuilder("kill", "-" + signal, Long.toString(master.pid())).start();
    assertThat(sent.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path log = tmp.resolve("master.log");
    await("the SIG" + signal + " log line")
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(log).contains("SIG" + signal + " received"));
    assertThat(master.isAlive()).isTrue();
    try (DroverClient client = DroverClient.connect("127.0.0.1", port)) {
      assertThat(client.submit("echo", "still here".getBytes(StandardCharsets.US_ASCII)).get(30, TimeUnit.SECONDS))
          .asString(StandardCharsets.US_ASCII)
          .isEqualTo("still here");
    }
    assertThat(workers).allMatch(ProcessHandle::isAlive);
  }

  @Test
  void sigkillTheMasterAndItsWorkersExitByThemselves() throws Exception {
    startMaster();
    master.destroyForcibly(); // SIGKILL
    assertThat(master.waitFor(10, TimeUnit.SECONDS)).isTrue();
    await("workers exit by themselves")
        .atMost(Duration.ofSeconds(60))
        .until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void sigtermToOneWorkerFinishesItsTasksAndTheMasterStartsAnother() throws Exception {
    int port = startMaster();
    ProcessHandle victim = workers.get(0);
    try (DroverClient client = DroverClient.connect("127.0.0.1", port)) {
      List<CompletableFuture<byte[]>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(client.submit("sleep", "20".getBytes(StandardCharsets.US_ASCII)));
      }
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(victim.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      for (CompletableFuture<byte[]> r : results) {
        assertThat(new String(r.get(1, TimeUnit.MINUTES), StandardCharsets.US_ASCII)).isEqualTo("20");
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> !victim.isAlive());
      assertThat(victim.onExit().get(60, TimeUnit.SECONDS).pid()).isEqualTo(victim.pid());
      await("a replacement worker")
          .atMost(Duration.ofSeconds(30))
          .until(() -> master.descendants().filter(ProcessHandle::isAlive).count() == 2);
      assertThat(client.submit("echo", "still".getBytes(StandardCharsets.US_ASCII)).get(30, TimeUnit.SECONDS))
          .asString(StandardCharsets.US_ASCII)
          .isEqualTo("still");
    }
    workers = master.descendants().toList();
  }
}
