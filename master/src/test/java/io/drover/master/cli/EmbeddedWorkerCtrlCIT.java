package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.drover.master.testing.DroverScript;
import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskStatus;
import io.drover.master.testing.TestMasters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in the terminal of a master whose workers run a worker main class of the user's own: the
 * master runs in a process group of its own, as a shell's foreground job does, and SIGINT goes to
 * the whole group, workers included, while tasks run. Each execution of a task is recorded by the
 * worker that ran it ({@code RecordingSleepHandler}), so that a task run twice, or run by a worker
 * started after the signal, shows.
 */
class EmbeddedWorkerCtrlCIT {
  private static final Path DROVER = Path.of("..", "scripts", "drover").toAbsolutePath().normalize();
  private static final int SIGNAL_AFTER = 1_500;
  /** Tasks in flight at once; those the signal finds in flight may be refused or lost with a worker. */
  private static final int WINDOW = 64;

  @TempDir Path tmp;
  private Process master;
  private List<ProcessHandle> workers = List.of();

  @BeforeEach
  void needsProcessGroups() {
    assumeThat(Path.of("/usr/bin/setsid")).as("setsid(1)").isRegularFile();
    assumeThat(Path.of("/proc/self/stat")).as("/proc").isRegularFile();
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (master != null && master.isAlive()) {
      master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    workers.forEach(ProcessHandle::destroyForcibly);
    processGroup().forEach(ProcessHandle::destroyForcibly);
  }

  /** A main of one's own with {@code DroverWorker.run()}: it drains with the master. */
  @Test
  void ctrlCUnderLoadAnswersEveryTaskRunsNoneTwiceSpawnsNoWorkerAndExitsZero() throws Exception {
    Outcome o = ctrlCUnderLoad("io.drover.diagnostics.EmbeddedWorkerMain");
    SoftAssertions soft = o.common();
    soft.assertThat(o.before.keySet()).as("answers to the tasks sent before the signal").isSubsetOf("OK", "SHUTTING_DOWN");
    // Refused by the master (SHUTTING_DOWN), or never sent: the client follows the GOAWAY to a new
    // connection, which nothing accepts (NO_ANSWER); which of them depends on the timing.
    soft.assertThat(o.after.keySet())
        .as("answers to the tasks sent after the signal")
        .containsAnyOf("SHUTTING_DOWN", NO_ANSWER)
        .isSubsetOf("OK", "SHUTTING_DOWN", NO_ANSWER);
    for (long pid : o.workerPids) {
      soft.assertThat(o.log).as("worker %d drained", pid).contains("(pid " + pid + "): READY -> STOPPED: exited (exit code 0)");
    }
    o.assertAll(soft);
  }

  /**
   * A main that leaves signals to the JVM ({@code start()} and {@code awaitTermination()} only):
   * Ctrl-C kills its workers. None is replaced during shutdown, and no task is run again once
   * shutdown has begun: the tasks they held get {@code WORKER_CRASHED} at once, not at the end of
   * the shutdown timeout.
   */
  @Test
  void workersKilledByCtrlCAreNotReplacedAndTheirTasksAreAnsweredNotRunAgain() throws Exception {
    Outcome o = ctrlCUnderLoad("io.drover.diagnostics.SignalDefaultWorkerMain");
    SoftAssertions soft = o.common();
    // Usually some tasks are on the workers the signal kills (WORKER_CRASHED), but on a busy
    // machine the signal may find none there: only what may come back is asserted.
    soft.assertThat(o.before.keySet())
        .as("answers to the tasks sent before the signal")
        .isSubsetOf("OK", "SHUTTING_DOWN", "WORKER_CRASHED");
    soft.assertThat(o.after.keySet())
        .as("answers to the tasks sent after the signal")
        .isSubsetOf("OK", "SHUTTING_DOWN", "WORKER_CRASHED", NO_ANSWER);
    soft.assertThat(o.log).as("master log").doesNotContain("shutdown timeout reached");
    o.assertAll(soft);
  }

  /**
   * A task sent after the signal may find the master gone (the connection closed) once the tasks
   * in progress are answered; one sent before it may not.
   */
  private static final String NO_ANSWER = "NO_ANSWER";

  /**
   * What a run through a Ctrl-C gave: how many tasks sent before and after the signal got each
   * status (or {@link #NO_ANSWER}), which task ids ran how often, and on which workers.
   */
  private record Outcome(
      Map<String, Integer> before,
      Map<String, Integer> after,
      List<String> unexpected,
      Map<Long, Integer> runs,
      Set<Long> recordingPids,
      Set<Long> workerPids,
      String log,
      int exitCode,
      List<ProcessHandle> workers,
      List<ProcessHandle> leftInGroup) {

    /** What must hold whatever the worker main does on SIGINT. */
    SoftAssertions common() {
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(unexpected).as("tasks sent before the signal that got no status from the master").isEmpty();
      soft.assertThat(before.getOrDefault("OK", 0)).as("tasks answered OK").isGreaterThanOrEqualTo(SIGNAL_AFTER - WINDOW);
      soft.assertThat(runs.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
          .as("task ids run more than once (of %d run)", runs.size())
          .isEmpty();
      soft.assertThat(runs.size()).as("tasks run").isGreaterThanOrEqualTo(before.getOrDefault("OK", 0) + after.getOrDefault("OK", 0));
      soft.assertThat(recordingPids).as("pids of the workers that ran tasks").isSubsetOf(workerPids);
      String afterSignal = log.substring(Math.max(0, log.indexOf("SIGINT (Ctrl-C) received")));
      soft.assertThat(afterSignal).as("log after the signal").contains("SIGINT (Ctrl-C) received").doesNotContain("-> STARTING");
      soft.assertThat(exitCode).as("master's exit code").isZero();
      soft.assertThat(workers).as("first workers").noneMatch(ProcessHandle::isAlive);
      soft.assertThat(leftInGroup).as("processes left in the master's group").isEmpty();
      return soft;
    }

    void assertAll(SoftAssertions soft) {
      if (!soft.errorsCollected().isEmpty()) {
        System.out.println("before the signal " + before + ", after " + after + "; master log:\n" + log);
      }
      soft.assertAll();
    }
  }

  /** Starts a master in a group of its own, loads it, sends SIGINT to the group, gathers the outcome. */
  private Outcome ctrlCUnderLoad(String workerMainClass) throws Exception {
    Path records = Files.createDirectories(tmp.resolve("records"));
    Path log = tmp.resolve("master.log");
    int port = DroverScript.freePort();
    master =
        DroverScript.startMaster(
            new ProcessBuilder(
                "/usr/bin/setsid", DROVER.toString(), "master", "--port", Integer.toString(port), "--workers", "2",
                "--worker-classpath", TestMasters.diagnosticsJar().toString(),
                "--worker-main-class", workerMainClass,
                "--worker-env", "DROVER_RECORD_DIR=" + records,
                "--no-worker-cds"),
            log);
    // setsid(1) execs in place when its caller leads no group: the master leads a group of its own.
    assertThat(pgid(master.pid())).as("the master's process group").isEqualTo(master.pid());
    workers = master.descendants().toList();
    assertThat(workers).hasSize(2);

    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    Map<String, Integer> before = new ConcurrentHashMap<>();
    Map<String, Integer> after = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    // Short: after the GOAWAY nothing accepts a new connection, and what waits for one fails then.
    try (DroverClient client =
        DroverClient.builder().host("127.0.0.1").port(port).reconnectTimeout(java.time.Duration.ofSeconds(1)).build()) {
      Semaphore window = new Semaphore(WINDOW);
      for (int i = 0; !stop.get() && i < 200_000; i++) {
        window.acquire();
        if (i == SIGNAL_AFTER) {
          // What a terminal's Ctrl-C does: SIGINT to every process of the foreground group.
          Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + master.pid()).start();
          assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
          assertThat(kill.exitValue()).as("kill -INT -pgid").isZero();
        }
        int n = i;
        Map<String, Integer> outcomes = i < SIGNAL_AFTER ? before : after;
        all.add(
            client
                .submit("recorded-sleep", "20".getBytes(StandardCharsets.US_ASCII))
                .handle(
                    (r, e) -> {
                      window.release();
                      Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                      if (e == null) {
                        outcomes.merge("OK", 1, Integer::sum);
                      } else if (cause instanceof DroverTaskException t) {
                        outcomes.merge(t.status().name(), 1, Integer::sum);
                        stop.set(true);
                      } else {
                        outcomes.merge(NO_ANSWER, 1, Integer::sum);
                        if (outcomes == before) {
                          unexpected.add("task #" + n + ": " + cause);
                        }
                        stop.set(true);
                      }
                      return null;
                    }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }
    assertThat(master.waitFor(2, TimeUnit.MINUTES)).as("master exited").isTrue();

    Map<Long, Integer> runs = new HashMap<>();
    Set<Long> recordingPids = new TreeSet<>();
    try (Stream<Path> files = Files.list(records)) {
      for (Path f : files.toList()) {
        recordingPids.add(Long.parseLong(f.getFileName().toString().replaceAll("\\D", "")));
        for (String line : Files.readAllLines(f)) {
          runs.merge(Long.parseLong(line.split(" ")[0]), 1, Integer::sum);
        }
      }
    }
    return new Outcome(
        Map.copyOf(before),
        Map.copyOf(after),
        List.copyOf(unexpected),
        runs,
        recordingPids,
        workers.stream().map(ProcessHandle::pid).collect(Collectors.toSet()),
        Files.readString(log),
        master.exitValue(),
        workers,
        processGroup());
  }

  /** The live processes in the master's process group (its pgid is its pid). */
  private List<ProcessHandle> processGroup() {
    if (master == null) {
      return List.of();
    }
    long group = master.pid();
    return ProcessHandle.allProcesses().filter(p -> p.isAlive() && pgid(p.pid()) == group).toList();
  }

  /** The process group of {@code pid}, from /proc; -1 when it is gone. */
  private static long pgid(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its closing paren.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
