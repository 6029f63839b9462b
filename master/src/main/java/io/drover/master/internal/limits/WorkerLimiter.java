package io.drover.master.internal.limits;

import io.drover.master.config.WorkerLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this machine can enforce on worker processes, detected once at the master's start, and the
 * master's cgroups: {@link #plan} turns a set of limits into a {@link LimitPlan} (refusing one it
 * cannot enforce unless best effort is allowed), {@link #close} removes the cgroups once the
 * workers are gone. A master that died without closing leaves {@code drover-<pid>} cgroups; the
 * next master's detection removes them.
 *
 * <p>The mechanisms: cgroup v2 where the master has a writable delegated cgroup with the
 * controllers; else cgroup v1 hierarchies ({@code memory}, {@code cpu}, {@code pids}); open files
 * (and processes, without a pids controller and not as root) as rlimits set by {@code prlimit}.
 */
public final class WorkerLimiter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerLimiter.class);
  /** Only for tests: a directory standing for {@code /proc/self} (its {@code cgroup} and {@code mountinfo}). */
  static final String PROC_SELF_PROPERTY = "drover.limits.procSelf";

  private final CgroupTree tree;
  private final Path prlimit;
  private final boolean root;
  private final long pid;
  private final AtomicLong started = new AtomicLong();
  /** Why the tree could not be set up, once it failed; then no cgroup limit is enforced. */
  private String treeFailure;
  private boolean opened;

  WorkerLimiter(CgroupTree tree, Path prlimit, boolean root, long pid) {
    this.tree = tree;
    this.prlimit = prlimit;
    this.root = root;
    this.pid = pid;
  }

  /** Detects what this machine can enforce, and removes the cgroups of masters that are gone. */
  public static WorkerLimiter detect() {
    Path procSelf = Path.of(System.getProperty(PROC_SELF_PROPERTY, "/proc/self"));
    long pid = ProcessHandle.current().pid();
    WorkerLimiter limiter = detect(procSelf, findPrlimit(System.getenv("PATH")), isRoot(), pid);
    limiter.removeStale(pid);
    return limiter;
  }

  /** Removes the {@code drover-<pid>} cgroups of masters that are gone, this one ({@code self}) excepted. */
  void removeStale(long self) {
    if (tree != null) {
      tree.removeStale(self);
    }
  }

  static WorkerLimiter detect(Path procSelf, Path prlimit, boolean root, long pid) {
    CgroupMounts mounts;
    try {
      mounts = CgroupMounts.read(procSelf);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot read the master's cgroups from {}: {}", procSelf, e.toString());
      mounts = new CgroupMounts(Map.of(), null);
    }
    return new WorkerLimiter(choose(mounts, pid), prlimit, root, pid);
  }

  /** v2 where it enforces at least as much as v1 does; null without either. */
  private static CgroupTree choose(CgroupMounts mounts, long pid) {
    CgroupV1 v1 = new CgroupV1(mounts.v1());
    CgroupV2 v2 = mounts.v2() == null ? null : new CgroupV2(mounts.v2(), pid);
    if (v2 != null && (!v1.present() || strength(v2) > strength(v1))) {
      return v2;
    }
    return v1.present() ? v1 : null;
  }

  private static int strength(CgroupTree t) {
    int n = 0;
    for (Limit l : new Limit[] {Limit.MEMORY, Limit.CPU, Limit.PROCESSES}) {
      n += t.enforces(l) != null ? 1 : 0;
    }
    return n;
  }

  /**
   * How {@code limits} are enforced here, logged in one line when any is set.
   *
   * @throws UnenforceableLimitsException when some limit cannot be enforced and {@code limits}
   *     do not allow best effort; the message names each and why
   */
  public LimitPlan plan(WorkerLimits limits) {
    LimitPlan plan = planOnly(limits);
    if (plan.usesCgroups() && !opened) {
      try {
        tree.open(pid);
        opened = true;
      } catch (IOException e) {
        treeFailure = "cannot create the master's " + tree.version() + " cgroup: " + e.getMessage();
        tree.close(pid);
        plan = planOnly(limits);
      }
    }
    String missing = plan.notEnforced();
    if (!missing.isEmpty() && !limits.bestEffort()) {
      throw new UnenforceableLimitsException(
          "cannot enforce the worker limits on this machine: " + missing + " (--limits-best-effort starts without them)");
    }
    if (limits.any() && !plan.inForce().equals("none")) {
      log.info("worker limits: {}", plan.inForce());
    }
    if (!missing.isEmpty()) {
      log.warn("worker limits not enforced (best effort allowed): {}", missing);
    }
    return plan;
  }

  private LimitPlan planOnly(WorkerLimits limits) {
    Map<Limit, String> how = new EnumMap<>(Limit.class);
    Map<Limit, String> whyNot = new EnumMap<>(Limit.class);
    CgroupTree usable = treeFailure == null ? tree : null;
    boolean nproc = false;
    for (Limit l : Limit.values()) {
      if (!l.isSet(limits)) {
        continue;
      }
      String byCgroup = usable == null ? null : usable.enforces(l);
      String noCgroup =
          treeFailure != null ? treeFailure : tree == null ? "no cgroup hierarchy holds the master (/proc/self/cgroup, /proc/self/mountinfo)" : tree.whyNot(l);
      if (l == Limit.OPEN_FILES) {
        put(how, whyNot, l, prlimit == null ? null : "prlimit RLIMIT_NOFILE", "prlimit (util-linux) is not installed");
      } else if (l == Limit.PROCESSES && byCgroup == null) {
        // RLIMIT_NPROC counts the user's processes, not the worker's, and root is exempt from it.
        nproc = prlimit != null && !root;
        put(how, whyNot, l, nproc ? "prlimit RLIMIT_NPROC, counted per user" : null,
            noCgroup + (root ? "; RLIMIT_NPROC cannot stand in: the kernel does not enforce it for root" : "; and prlimit (util-linux) is not installed"));
      } else {
        put(how, whyNot, l, byCgroup, noCgroup);
      }
    }
    boolean cgroups = how.values().stream().anyMatch(h -> h.startsWith("cgroup"));
    return new LimitPlan(limits, cgroups ? usable : null, prlimit, how.containsKey(Limit.OPEN_FILES), nproc, how, whyNot, started);
  }

  private static void put(Map<Limit, String> how, Map<Limit, String> whyNot, Limit l, String mechanism, String why) {
    if (mechanism != null) {
      how.put(l, mechanism);
    } else {
      whyNot.put(l, why);
    }
  }

  /** Removes the master's cgroups; call it once the workers are gone. */
  @Override
  public void close() {
    if (opened) {
      opened = false;
      tree.close(pid);
    }
  }

  /** The {@code prlimit} executable on {@code path}, or null. */
  static Path findPrlimit(String path) {
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, "prlimit");
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static boolean isRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self/"), "unix:uid")).longValue() == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
