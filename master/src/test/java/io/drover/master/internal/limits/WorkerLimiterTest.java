package io.drover.master.internal.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.master.config.WorkerLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection of what a machine can enforce, against fake {@code /proc/self} files and a fake
 * cgroup tree in a temporary directory: cgroup v1, cgroup v2, neither, and the rlimits.
 */
class WorkerLimiterTest {
  private static final long PID = 4242;
  private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
  private static final WorkerLimits ALL =
      WorkerLimits.builder().memoryBytes(256L << 20).memoryHighBytes(200L << 20).cpus(0.5).maxProcesses(100).maxOpenFiles(4096).build();

  @TempDir Path tmp;

  private Path proc(String cgroup, String mountinfo) throws IOException {
    Path proc = Files.createDirectories(tmp.resolve("proc"));
    Files.writeString(proc.resolve("cgroup"), cgroup);
    Files.writeString(proc.resolve("mountinfo"), mountinfo);
    return proc;
  }

  /** A v1 machine like this one: one hierarchy per controller, the memory cgroup a few levels down. */
  private Path v1Machine() throws IOException {
    Path fs = tmp.resolve("fs");
    for (String dir : List.of("memory/pod/c1", "cpu", "cpuacct", "pids")) {
      Files.createDirectories(fs.resolve(dir));
    }
    return proc(
        "8:pids:/\n4:memory:/pod/c1\n2:cpuacct:/\n1:cpu:/\n0::/\n",
        "31 23 0:28 / " + fs + " rw - tmpfs tmpfs rw\n"
            + "32 31 0:29 / " + fs.resolve("cpu") + " rw,relatime - cgroup cgroup rw,cpu\n"
            + "33 31 0:30 / " + fs.resolve("cpuacct") + " rw,relatime - cgroup cgroup rw,cpuacct\n"
            + "35 31 0:32 / " + fs.resolve("memory") + " rw,relatime - cgroup cgroup rw,memory\n"
            + "39 31 0:36 / " + fs.resolve("pids") + " rw,relatime - cgroup cgroup rw,pids\n");
  }

  /** A v2 machine under systemd: the master alone in its delegated service cgroup. */
  private Path v2Machine(String controllers, String procs) throws IOException {
    Path fs = tmp.resolve("fs2");
    Path own = Files.createDirectories(fs.resolve("system.slice/drover.service"));
    Files.writeString(own.resolve("cgroup.controllers"), controllers);
    Files.writeString(own.resolve("cgroup.procs"), procs);
    Files.writeString(own.resolve("cgroup.subtree_control"), "");
    return proc("0::/system.slice/drover.service\n", "30 23 0:26 / " + fs + " rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
  }

  @Test
  void cgroupV1EnforcesMemoryCpuAndProcessesAndPrlimitTheOpenFiles() throws IOException {
    LimitPlan plan = WorkerLimiter.detect(v1Machine(), PRLIMIT, true, PID).plan(ALL);
    assertThat(plan.inForce())
        .isEqualTo(
            "memory 256 MiB (cgroup v1 memory.limit_in_bytes), memory high 200 MiB (cgroup v1 memory.soft_limit_in_bytes),"
                + " cpu 0.5 cores (cgroup v1 cpu.cfs_quota_us), processes 100 (cgroup v1 pids.max),"
                + " open files 4096 (prlimit RLIMIT_NOFILE)");
    Path memory = tmp.resolve("fs/memory/pod/c1/drover-" + PID);
    assertThat(memory).isDirectory();
    assertThat(tmp.resolve("fs/cpu/drover-" + PID)).isDirectory();
  }

  @Test
  void aV1WorkerCgroupGetsItsLimitFilesAndItsCommandJoinsEveryHierarchy() throws IOException {
    LimitPlan plan = WorkerLimiter.detect(v1Machine(), PRLIMIT, true, PID).plan(ALL);
    LimitedWorker worker = plan.prepare(3);
    Path memory = tmp.resolve("fs/memory/pod/c1/drover-" + PID + "/worker-3-1");
    assertThat(memory.resolve("memory.limit_in_bytes")).hasContent(Long.toString(256L << 20));
    assertThat(memory.resolve("memory.soft_limit_in_bytes")).hasContent(Long.toString(200L << 20));
    assertThat(tmp.resolve("fs/cpu/drover-" + PID + "/worker-3-1/cpu.cfs_quota_us")).hasContent("50000");
    assertThat(tmp.resolve("fs/pids/drover-" + PID + "/worker-3-1/pids.max")).hasContent("100");
    List<String> cmd = worker.wrap(List.of("java", "Main"));
    assertThat(cmd.subList(0, 2)).containsExactly("/bin/sh", "-c");
    assertThat(cmd.subList(3, cmd.size()))
        .containsExactly(
            "drover-worker", "4",
            tmp.resolve("fs/cpu/drover-" + PID + "/worker-3-1/cgroup.procs").toString(),
            tmp.resolve("fs/cpuacct/drover-" + PID + "/worker-3-1/cgroup.procs").toString(),
            memory.resolve("cgroup.procs").toString(),
            tmp.resolve("fs/pids/drover-" + PID + "/worker-3-1/cgroup.procs").toString(),
            PRLIMIT.toString(), "--nofile=4096:4096", "--", "java", "Main");
  }

  @Test
  void aRiseOfTheOomKillCountSaysTheMemoryLimitKilledTheWorker() throws IOException {
    LimitPlan plan = WorkerLimiter.detect(v1Machine(), PRLIMIT, true, PID).plan(ALL);
    LimitedWorker killed = plan.prepare(1);
    Files.writeString(tmp.resolve("fs/memory/pod/c1/drover-" + PID + "/worker-1-1/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    LimitedWorker crashed = plan.prepare(1);
    Files.writeString(tmp.resolve("fs/memory/pod/c1/drover-" + PID + "/worker-1-2/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    assertThat(killed.exited()).isEqualTo("killed by the memory limit (256 MiB)");
    assertThat(crashed.exited()).isNull();
  }

  @Test
  void cgroupV2MovesTheMasterIntoALeafAndEnablesTheControllersBeforeAnyWorker() throws IOException {
    Path proc = v2Machine("cpuset cpu io memory pids\n", PID + "\n");
    LimitPlan plan = WorkerLimiter.detect(proc, PRLIMIT, false, PID).plan(ALL);
    assertThat(plan.inForce())
        .isEqualTo(
            "memory 256 MiB (cgroup v2 memory.max), memory high 200 MiB (cgroup v2 memory.high),"
                + " cpu 0.5 cores (cgroup v2 cpu.max), processes 100 (cgroup v2 pids.max), open files 4096 (prlimit RLIMIT_NOFILE)");
    Path own = tmp.resolve("fs2/system.slice/drover.service");
    assertThat(own.resolve("drover-" + PID + "/master/cgroup.procs")).hasContent(Long.toString(PID));
    assertThat(own.resolve("cgroup.subtree_control")).hasContent("+memory +cpu +pids");
    assertThat(own.resolve("drover-" + PID + "/cgroup.subtree_control")).hasContent("+memory +cpu +pids");
    LimitedWorker worker = plan.prepare(1);
    Path dir = own.resolve("drover-" + PID + "/worker-1-1");
    assertThat(dir.resolve("memory.max")).hasContent(Long.toString(256L << 20));
    assertThat(dir.resolve("memory.high")).hasContent(Long.toString(200L << 20));
    assertThat(dir.resolve("cpu.max")).hasContent("50000 100000");
    assertThat(dir.resolve("pids.max")).hasContent("100");
    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 3\nmax 9\noom 1\noom_kill 1\n");
    assertThat(worker.exited()).isEqualTo("killed by the memory limit (256 MiB)");
  }

  @Test
  void cgroupV2WithOtherProcessesInTheMastersCgroupIsRefusedNamingTheRule() throws IOException {
    Path proc = v2Machine("cpu memory pids\n", PID + "\n777\n");
    assertThatThrownBy(() -> WorkerLimiter.detect(proc, PRLIMIT, false, PID).plan(WorkerLimits.builder().memoryBytes(256L << 20).build()))
        .isInstanceOf(UnenforceableLimitsException.class)
        .hasMessageContaining("memory 256 MiB: the master's cgroup v2 cgroup " + tmp.resolve("fs2/system.slice/drover.service"))
        .hasMessageContaining("holds other processes (777), and v2 gives controllers to child cgroups only of a cgroup without processes");
  }

  @Test
  void cgroupV2WithoutAControllerRefusesTheLimitItWouldEnforce() throws IOException {
    Path proc = v2Machine("memory pids\n", PID + "\n");
    assertThatThrownBy(() -> WorkerLimiter.detect(proc, PRLIMIT, false, PID).plan(WorkerLimits.builder().cpus(0.5).build()))
        .hasMessage(
            "cannot enforce the worker limits on this machine: cpu 0.5 cores: the cpu controller is not available in the master's cgroup v2 cgroup "
                + tmp.resolve("fs2/system.slice/drover.service") + " (--limits-best-effort starts without them)");
  }

  @Test
  void withoutCgroupsALimitIsRefusedUnlessBestEffortIsAllowed() throws IOException {
    Path proc = proc("", "");
    WorkerLimits memory = WorkerLimits.builder().memoryBytes(256L << 20).maxOpenFiles(1000).build();
    assertThatThrownBy(() -> WorkerLimiter.detect(proc, PRLIMIT, true, PID).plan(memory))
        .hasMessage(
            "cannot enforce the worker limits on this machine: memory 256 MiB: no cgroup hierarchy holds the master"
                + " (/proc/self/cgroup, /proc/self/mountinfo) (--limits-best-effort starts without them)");
    WorkerLimits bestEffort = WorkerLimits.builder().memoryBytes(256L << 20).maxOpenFiles(1000).bestEffort(true).build();
    LimitPlan plan = WorkerLimiter.detect(proc, PRLIMIT, true, PID).plan(bestEffort);
    assertThat(plan.inForce()).isEqualTo("open files 1000 (prlimit RLIMIT_NOFILE)");
    assertThat(plan.notEnforced()).startsWith("memory 256 MiB: no cgroup hierarchy holds the master");
    assertThat(plan.prepare(1).wrap(List.of("java"))).containsExactly(PRLIMIT.toString(), "--nofile=1000:1000", "--", "java");
  }

  @Test
  void processesWithoutAPidsControllerFallBackToRlimitNprocExceptAsRoot() throws IOException {
    Path proc = proc("", "");
    WorkerLimits processes = WorkerLimits.builder().maxProcesses(64).build();
    assertThat(WorkerLimiter.detect(proc, PRLIMIT, false, PID).plan(processes).inForce())
        .isEqualTo("processes 64 (prlimit RLIMIT_NPROC, counted per user)");
    assertThatThrownBy(() -> WorkerLimiter.detect(proc, PRLIMIT, true, PID).plan(processes))
        .hasMessageContaining("RLIMIT_NPROC cannot stand in: the kernel does not enforce it for root");
  }

  @Test
  void openFilesNeedPrlimit() throws IOException {
    assertThatThrownBy(() -> WorkerLimiter.detect(v1Machine(), null, true, PID).plan(WorkerLimits.builder().maxOpenFiles(100).build()))
        .hasMessageContaining("open files 100: prlimit (util-linux) is not installed");
  }

  @Test
  void noLimitsNeedNoCgroupAndNoWrapper() throws IOException {
    LimitPlan plan = WorkerLimiter.detect(v1Machine(), PRLIMIT, true, PID).plan(WorkerLimits.NONE);
    assertThat(plan.inForce()).isEqualTo("none");
    assertThat(plan.prepare(1).wrap(List.of("java"))).containsExactly("java");
    assertThat(tmp.resolve("fs/cpu/drover-" + PID)).doesNotExist();
  }

  @Test
  void theHeapFollowsTheMemoryLimitUnlessSizedExplicitly() throws IOException {
    LimitPlan plan = WorkerLimiter.detect(v1Machine(), PRLIMIT, true, PID).plan(WorkerLimits.builder().memoryBytes(256L << 20).build());
    assertThat(plan.heapOptions(List.of("-XX:+UseSerialGC"))).containsExactly("-XX:MaxRAM=268435456");
    for (String sized : List.of("-Xmx100m", "-XX:MaxHeapSize=100m", "-XX:MaxRAM=1g", "-XX:MaxRAMPercentage=50")) {
      assertThat(plan.heapOptions(List.of(sized))).as(sized).isEmpty();
    }
  }

  @Test
  void aContainersCgroupMountedAsItsRootIsFoundAtTheMountPoint() throws IOException {
    Path fs = Files.createDirectories(tmp.resolve("mnt/memory"));
    Path proc = proc("4:memory:/docker/abc\n", "35 31 0:32 /docker/abc " + fs + " rw - cgroup cgroup rw,memory\n");
    assertThat(CgroupMounts.read(proc).v1()).containsEntry("memory", fs);
  }

  @Test
  void theStaleCgroupOfAMasterThatIsGoneIsRemoved() throws IOException {
    Path proc = v1Machine();
    long gone = (1L << 22) + 1; // above PID_MAX_LIMIT: never a live process
    Path stale = Files.createDirectories(tmp.resolve("fs/cpu/drover-" + gone + "/worker-1-1"));
    Path mine = Files.createDirectories(tmp.resolve("fs/cpu/drover-" + ProcessHandle.current().pid()));
    WorkerLimiter limiter = WorkerLimiter.detect(proc, PRLIMIT, true, PID);
    limiter.removeStale(ProcessHandle.current().pid());
    assertThat(stale.getParent()).doesNotExist();
    assertThat(mine).isDirectory();
  }
}
