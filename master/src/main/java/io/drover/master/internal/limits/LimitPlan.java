package io.drover.master.internal.limits;

import io.drover.master.config.WorkerLimits;
import io.drover.protocol.HumanUnits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How one set of {@link WorkerLimits} is enforced on this machine: each limit's mechanism (or why
 * it has none), and what a worker's start needs for them: a cgroup joined before the JVM runs
 * anything, {@code prlimit} in front of {@code java}, a heap that follows the memory limit.
 * Immutable, apart from the count that names the workers' cgroups.
 */
public final class LimitPlan {
  /**
   * Joins the cgroups named after the count in {@code $1}, then becomes the command that follows
   * (the pid stays the same through {@code exec}, so the worker JVM starts inside its cgroup).
   */
  private static final String JOIN_SCRIPT =
      "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit 125; shift; n=$((n-1)); done; exec \"$@\"";

  private final WorkerLimits limits;
  private final CgroupTree tree;
  private final Path prlimit;
  private final boolean nofile;
  private final boolean nproc;
  private final Map<Limit, String> enforced;
  private final Map<Limit, String> notEnforced;
  private final AtomicLong started;

  LimitPlan(
      WorkerLimits limits, CgroupTree tree, Path prlimit, boolean nofile, boolean nproc, Map<Limit, String> enforced, Map<Limit, String> notEnforced, AtomicLong started) {
    this.limits = limits;
    this.tree = tree;
    this.prlimit = prlimit;
    this.nofile = nofile;
    this.nproc = nproc;
    this.enforced = Map.copyOf(enforced);
    this.notEnforced = Map.copyOf(notEnforced);
    this.started = started;
  }

  /** The limits asked for. */
  public WorkerLimits limits() {
    return limits;
  }

  /**
   * The limits enforced and how, in one line: {@code "memory 256 MiB (cgroup v1
   * memory.limit_in_bytes), open files 4096 (prlimit RLIMIT_NOFILE)"}; {@code "none"} without any.
   */
  public String inForce() {
    List<String> parts = new ArrayList<>();
    for (Limit l : Limit.values()) {
      if (enforced.containsKey(l)) {
        parts.add(l.describe(limits) + " (" + enforced.get(l) + ")");
      }
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  /** The limits asked for that this machine cannot enforce, each with why; empty when none. */
  String notEnforced() {
    List<String> parts = new ArrayList<>();
    for (Limit l : Limit.values()) {
      if (notEnforced.containsKey(l)) {
        parts.add(l.describe(limits) + ": " + notEnforced.get(l));
      }
    }
    return String.join("; ", parts);
  }

  /** Whether a worker needs a cgroup of its own. */
  boolean usesCgroups() {
    return tree != null;
  }

  /**
   * The JVM options that make a worker's heap follow its memory limit: {@code -XX:MaxRAM} set to
   * it, unless {@code jvmOptions} size the heap themselves.
   */
  public List<String> heapOptions(List<String> jvmOptions) {
    if (limits.memoryBytes() == 0
        || jvmOptions.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize=") || o.startsWith("-XX:MaxRAM"))) {
      return List.of();
    }
    return List.of("-XX:MaxRAM=" + limits.memoryBytes());
  }

  /**
   * Prepares the start of a worker for slot {@code slot}: creates its cgroup with the limits
   * written. Supervisor thread.
   */
  public LimitedWorker prepare(int slot) throws IOException {
    WorkerCgroup cgroup = tree == null ? null : tree.createWorker("worker-" + slot + "-" + started.incrementAndGet(), limits);
    return new LimitedWorker(cgroup, prefix(cgroup), limits.memoryBytes());
  }

  /** What comes before {@code java} in a worker's command. */
  private List<String> prefix(WorkerCgroup cgroup) {
    List<String> prefix = new ArrayList<>();
    if (cgroup != null) {
      List<Path> procs = cgroup.procsFiles();
      prefix.addAll(List.of("/bin/sh", "-c", JOIN_SCRIPT, "drover-worker", Integer.toString(procs.size())));
      procs.forEach(p -> prefix.add(p.toString()));
    }
    if (nofile || nproc) {
      prefix.add(prlimit.toString());
      if (nofile) {
        prefix.add("--nofile=" + limits.maxOpenFiles() + ":" + limits.maxOpenFiles());
      }
      if (nproc) {
        prefix.add("--nproc=" + limits.maxProcesses() + ":" + limits.maxProcesses());
      }
      prefix.add("--");
    }
    return prefix;
  }

  /** The reason a worker killed by its memory limit exited with: {@code "killed by the memory limit (256 MiB)"}. */
  static String memoryLimitKill(long memoryBytes) {
    return "killed by the memory limit (" + HumanUnits.bytes(memoryBytes) + ")";
  }
}
