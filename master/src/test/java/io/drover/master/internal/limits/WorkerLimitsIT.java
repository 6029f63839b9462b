package io.drover.master.internal.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskStatus;
import io.drover.master.DroverMaster;
import io.drover.master.MasterStartException;
import io.drover.master.config.WorkerLimits;
import io.drover.master.status.WorkerTransition;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.PrometheusText;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits on real worker JVMs, enforced by this machine's kernel: a worker over its memory limit
 * killed and reported as such, a CPU quota the kernel throttles to, the open-files rlimit, limits
 * refused where they cannot be enforced, and no cgroup left behind. A test whose limit this
 * machine cannot enforce is skipped, saying why (never passed silently).
 */
@ExtendWith(LeakDetectionExtension.class)
class WorkerLimitsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long MIB_256 = 256L << 20;

  @TempDir Path tmp;
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
    System.clearProperty(WorkerLimiter.PROC_SELF_PROPERTY);
  }

  /** Skips the test, saying why, when this machine cannot enforce {@code limits}. */
  private static void assumeEnforceable(WorkerLimits limits) {
    WorkerLimiter limiter = WorkerLimiter.detect();
    try {
      limiter.plan(limits);
    } catch (UnenforceableLimitsException e) {
      assumeTrue(false, "this machine cannot enforce the limits: " + e.getMessage());
    } finally {
      limiter.close();
    }
  }

  private DroverClient client() {
    return DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
  }

  private JsonNode status() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.adminAddress().getPort() + "/status")).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private Map<String, Double> metrics() throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.adminAddress().getPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return PrometheusText.samples(r.body());
  }

  /** The cgroup directories of process {@code pid}, by v1 controller (from its /proc files). */
  private static CgroupMounts cgroupsOf(long pid) throws IOException {
    return CgroupMounts.read(Path.of("/proc", Long.toString(pid)));
  }

  @Test
  void aWorkerOverItsMemoryLimitIsKilledByTheKernelReportedAsSuchAndItsTaskEndsAsPoison() throws Exception {
    WorkerLimits limits = WorkerLimits.builder().memoryBytes(MIB_256).build();
    assumeEnforceable(limits);
    try (LogCapture log = LogCapture.all()) {
      master = DroverMaster.start(TestMasters.configWithDiagnostics(2).maxAttempts(3).workerLimits(limits).build());
      try (DroverClient c = client()) {
        // Under the limit the same handler succeeds: what kills it below is the limit.
        assertThat(new String(c.submit("allocate", "32".getBytes(StandardCharsets.US_ASCII)).get(1, TimeUnit.MINUTES), StandardCharsets.US_ASCII))
            .isEqualTo("allocated 32 MiB");
        CompletableFuture<byte[]> hog = c.submit("allocate", "1024".getBytes(StandardCharsets.US_ASCII));
        List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          echoes.add(c.submit("echo", ("echo-" + i).getBytes(StandardCharsets.US_ASCII)));
        }
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> hog.get(3, TimeUnit.MINUTES));
        assertThat(failure.getCause())
            .isInstanceOfSatisfying(DroverTaskException.class, e -> {
              assertThat(e.status()).isEqualTo(TaskStatus.WORKER_CRASHED);
              assertThat(e.attempts()).isEqualTo(3);
            });
        for (int i = 0; i < echoes.size(); i++) {
          assertThat(echoes.get(i).get(1, TimeUnit.MINUTES)).isEqualTo(("echo-" + i).getBytes(StandardCharsets.US_ASCII));
        }
      }
      await("both slots ready again").atMost(Duration.ofMinutes(2)).until(() -> master.workers().size() == 2);
      assertThat(master.workerTransitions())
          .map(WorkerTransition::reason)
          .filteredOn(r -> r.startsWith("killed by the memory limit (256 MiB), signal 9"))
          .hasSize(3);
      Map<String, Double> m = metrics();
      assertThat(m)
          .containsEntry("drover_worker_restarts_total{reason=\"memory_limit\"}", 3.0)
          .containsEntry("drover_worker_restarts_total{reason=\"crash\"}", 0.0);
      List<String> lastExits = new ArrayList<>();
      List<String> inForce = new ArrayList<>();
      for (JsonNode w : status().get("workers")) {
        if (w.get("lastExit").isObject()) {
          lastExits.add(w.get("lastExit").get("reason").asText() + " / signal " + w.get("lastExit").get("signal").asInt());
        }
        inForce.add(w.get("limits").asText());
      }
      assertThat(lastExits).isNotEmpty().allMatch(r -> r.equals("killed by the memory limit (256 MiB), signal 9 / signal 9"));
      assertThat(inForce).hasSize(2).allMatch(l -> l.startsWith("memory 256 MiB (cgroup v"));
      assertThat(log.errors())
          .as(LogCapture.describe(log.errors()))
          .anyMatch(e -> e.getFormattedMessage().contains("killed by the memory limit (256 MiB)"));
    }
  }

  @Test
  void aBusyWorkerWithAQuotaOfHalfACoreIsThrottledToAtMostHalfACore() throws Exception {
    WorkerLimits limits = WorkerLimits.builder().cpus(0.5).build();
    assumeEnforceable(limits);
    master = DroverMaster.start(TestMasters.configWithDiagnostics(1).workerLimits(limits).build());
    long pid = master.workerPids().get(0);
    CpuAccounting cpu = CpuAccounting.of(cgroupsOf(pid));
    assumeTrue(cpu != null, "no cgroup CPU accounting for the worker (cpuacct in v1, cpu.stat in v2)");
    try (DroverClient c = client()) {
      List<CompletableFuture<byte[]>> spins = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // the worker's capacity: it would take every core it could
        spins.add(c.submit("spin", "6000".getBytes(StandardCharsets.US_ASCII)));
      }
      await("the spins running").atMost(Duration.ofMinutes(1)).until(() -> master.tasksInProgress() == 4);
      long usedBefore = cpu.usageNanos();
      long throttledBefore = cpu.throttledPeriods();
      long from = System.nanoTime();
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
      long used = cpu.usageNanos() - usedBefore;
      long window = System.nanoTime() - from;
      double cores = (double) used / window;
      long throttled = cpu.throttledPeriods() - throttledBefore;
      System.out.printf("worker with a 0.5-core quota: %.2f cores over %d ms, throttled in %d periods%n", cores, window / 1_000_000, throttled);
      // An upper bound only (a busy machine may give less), with room for one period's slack at
      // each end of the window and for the reads around it.
      assertThat(used).as("%.2f cores used over %d ms", cores, window / 1_000_000).isLessThanOrEqualTo((long) (window * 0.5 * 1.1) + 200_000_000L);
      assertThat(throttled).as("periods the kernel throttled the worker in").isPositive();
      for (CompletableFuture<byte[]> s : spins) {
        s.get(1, TimeUnit.MINUTES);
      }
    }
  }

  @Test
  void theOpenFilesLimitIsTheWorkersRlimitAndTheProcessLimitItsPidsMax() throws Exception {
    WorkerLimits limits = WorkerLimits.builder().maxOpenFiles(1000).maxProcesses(500).build();
    assumeEnforceable(limits);
    master = DroverMaster.start(TestMasters.config(1).workerLimits(limits).build());
    long pid = master.workerPids().get(0);
    assertThat(Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")))
        .anyMatch(l -> l.matches("Max open files\\s+1000\\s+1000\\s+files\\s*"));
    CgroupMounts groups = cgroupsOf(pid);
    Path pids = groups.v1().containsKey("pids") ? groups.v1().get("pids") : groups.v2();
    assertThat(pids.resolve("pids.max")).hasContent("500");
  }

  @Test
  void aReloadedLimitAppliesToTheWorkersARollingRestartStartsAndTheirHeapFollowsIt() throws Exception {
    WorkerLimits limits = WorkerLimits.builder().memoryBytes(MIB_256).maxOpenFiles(1000).build();
    assumeEnforceable(limits);
    master = DroverMaster.start(TestMasters.config(1).build());
    long before = master.workerPids().get(0);
    assertThat(status().get("workers").get(0).get("limits").asText()).isEqualTo("none");
    io.drover.master.status.ReloadOutcome outcome =
        master.reload(TestMasters.config(1).workerLimits(limits).build()).toCompletableFuture().get(2, TimeUnit.MINUTES);
    assertThat(outcome.error()).isNull();
    // The reload replaces the workers one at a time, each new one started with the limits.
    await("the rolling restart done").atMost(Duration.ofMinutes(3)).until(() -> String.valueOf(master.rolloutStatus()).startsWith("rolling restart done"));
    await("the old worker gone").atMost(Duration.ofMinutes(1)).until(() -> ProcessHandle.of(before).map(p -> !p.isAlive()).orElse(true));
    long after = master.workerPids().get(0);
    assertThat(Files.readAllLines(Path.of("/proc", Long.toString(after), "limits")))
        .anyMatch(l -> l.matches("Max open files\\s+1000\\s+1000\\s+files\\s*"));
    assertThat(ProcessHandle.of(after).orElseThrow().info().arguments().orElseThrow()).contains("-XX:MaxRAM=" + MIB_256);
    assertThat(status().get("workers").get(0).get("limits").asText())
        .startsWith("memory 256 MiB (cgroup v")
        .endsWith("open files 1000 (prlimit RLIMIT_NOFILE)");
  }

  @Test
  void aLimitThisMachineCannotEnforceRefusesTheStartUnlessBestEffortIsAllowed() throws Exception {
    // A /proc/self naming no cgroup at all: as on a machine without cgroups.
    Path proc = Files.createDirectories(tmp.resolve("proc"));
    Files.writeString(proc.resolve("cgroup"), "");
    Files.writeString(proc.resolve("mountinfo"), "");
    System.setProperty(WorkerLimiter.PROC_SELF_PROPERTY, proc.toString());
    WorkerLimits memory = WorkerLimits.builder().memoryBytes(MIB_256).build();
    assertThatThrownBy(() -> DroverMaster.start(TestMasters.config(1).workerLimits(memory).build()))
        .isInstanceOf(MasterStartException.class)
        .hasMessage(
            "cannot enforce the worker limits on this machine: memory 256 MiB: no cgroup hierarchy holds the master"
                + " (/proc/self/cgroup, /proc/self/mountinfo) (--limits-best-effort starts without them)");
    try (LogCapture log = LogCapture.of(WorkerLimiter.class)) {
      master = DroverMaster.start(TestMasters.config(1).workerLimits(WorkerLimits.builder().memoryBytes(MIB_256).bestEffort(true).build()).build());
      assertThat(log.events())
          .anyMatch(e -> e.getLevel().toString().equals("WARN")
              && e.getFormattedMessage().equals("worker limits not enforced (best effort allowed): memory 256 MiB: no cgroup hierarchy holds the master (/proc/self/cgroup, /proc/self/mountinfo)"));
    }
    try (DroverClient c = client()) {
      assertThat(c.submit("echo", new byte[] {1, 2}).get(1, TimeUnit.MINUTES)).containsExactly(1, 2);
    }
  }

  @Test
  void theMastersCgroupsAreGoneOnceItStopsAndThoseOfMastersGoneAreRemovedAtStart() throws Exception {
    WorkerLimits limits = WorkerLimits.builder().memoryBytes(MIB_256).cpus(1).build();
    assumeEnforceable(limits);
    CgroupMounts own = CgroupMounts.read(Path.of("/proc/self"));
    List<Path> ownGroups = new ArrayList<>(own.v1().values());
    if (own.v2() != null) {
      ownGroups.add(own.v2());
    }
    // A master killed with SIGKILL left its cgroup; pid above PID_MAX_LIMIT: never a live process.
    Path stale = null;
    for (Path g : ownGroups) {
      if (Files.isWritable(g)) {
        stale = Files.createDirectories(g.resolve("drover-" + ((1L << 22) + 1)).resolve("worker-1-1"));
        break;
      }
    }
    master = DroverMaster.start(TestMasters.config(2).workerLimits(limits).build());
    assertThat(stale).isNotNull();
    assertThat(stale.getParent()).doesNotExist();
    List<Path> workerGroups = new ArrayList<>();
    for (long pid : master.workerPids()) {
      CgroupMounts g = cgroupsOf(pid);
      workerGroups.addAll(g.v1().values());
    }
    Path mine = null;
    for (Path g : ownGroups) {
      if (Files.isDirectory(g.resolve("drover-" + ProcessHandle.current().pid()))) {
        mine = g.resolve("drover-" + ProcessHandle.current().pid());
      }
    }
    assertThat(mine).as("the master's cgroup").isNotNull();
    assertThat(workerGroups).isNotEmpty().allMatch(Files::isDirectory);
    master.close();
    master = null;
    assertThat(workerGroups).noneMatch(Files::exists);
    for (Path g : ownGroups) {
      assertThat(g.resolve("drover-" + ProcessHandle.current().pid())).doesNotExist();
    }
  }

  /** A worker cgroup's CPU time and throttled periods: v1 cpuacct.usage and cpu.stat, or v2 cpu.stat. */
  private record CpuAccounting(Path usage, Path stat, boolean v2) {
    static CpuAccounting of(CgroupMounts groups) {
      if (groups.v1().containsKey("cpuacct") && groups.v1().containsKey("cpu")) {
        return new CpuAccounting(groups.v1().get("cpuacct").resolve("cpuacct.usage"), groups.v1().get("cpu").resolve("cpu.stat"), false);
      }
      return groups.v2() == null ? null : new CpuAccounting(groups.v2().resolve("cpu.stat"), groups.v2().resolve("cpu.stat"), true);
    }

    long usageNanos() throws IOException {
      return v2 ? CgroupTree.keyedValue(usage, "usage_usec") * 1000 : Long.parseLong(Files.readString(usage).trim());
    }

    long throttledPeriods() throws IOException {
      return CgroupTree.keyedValue(stat, "nr_throttled");
    }
  }
}
