package io.drover.master.internal.limits;

import io.drover.master.config.WorkerLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * cgroup v2: one hierarchy, in which the master needs a writable (delegated) cgroup whose
 * controllers include those the limits need.
 *
 * <p>v2 lets a cgroup hand controllers to its children only while no process is in it (the "no
 * internal processes" rule), and the master is in its own cgroup. So the master moves itself into
 * a leaf, {@code drover-<pid>/master}, and then enables the controllers in its own cgroup and in
 * {@code drover-<pid>}; the workers' cgroups are siblings of that leaf. Another process in the
 * master's cgroup makes this impossible: the master then cannot use v2 (under systemd, give the
 * service {@code Delegate=yes} and run the master as its only process).
 */
final class CgroupV2 extends CgroupTree {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CgroupV2.class);
  private final Path own;
  private final long selfPid;
  private final Set<String> available;
  private final String unusable;
  private long masterPid = -1;

  CgroupV2(Path own, long selfPid) {
    this.own = own;
    this.selfPid = selfPid;
    Set<String> controllers = Set.of();
    String why = null;
    if (!writable(own)) {
      why = "the master's cgroup v2 cgroup " + own + " is not writable (not delegated to its user)";
    } else {
      try {
        controllers = Set.of(Files.readString(own.resolve("cgroup.controllers"), StandardCharsets.US_ASCII).trim().split("\\s+"));
        List<String> others = otherProcesses();
        if (!others.isEmpty()) {
          why =
              "the master's cgroup v2 cgroup " + own + " holds other processes (" + String.join(", ", others)
                  + "), and v2 gives controllers to child cgroups only of a cgroup without processes";
        }
      } catch (IOException e) {
        why = "cannot read the master's cgroup v2 cgroup " + own + ": " + e;
      }
    }
    this.available = controllers;
    this.unusable = why;
  }

  private List<String> otherProcesses() throws IOException {
    List<String> others = new ArrayList<>();
    for (String line : Files.readAllLines(own.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
      if (!line.isBlank() && Long.parseLong(line.trim()) != selfPid) {
        others.add(line.trim());
      }
    }
    return others;
  }

  @Override
  String version() {
    return "cgroup v2";
  }

  @Override
  String enforces(Limit limit) {
    String controller = limit.controller();
    return unusable == null && controller != null && available.contains(controller) ? "cgroup v2 " + file(limit) : null;
  }

  @Override
  String whyNot(Limit limit) {
    String controller = limit.controller();
    if (controller == null) {
      return "cgroups do not limit it";
    }
    return unusable != null ? unusable : "the " + controller + " controller is not available in the master's cgroup v2 cgroup " + own;
  }

  @Override
  List<Path> ownGroups() {
    return List.of(own);
  }

  @Override
  void open(long masterPid) throws IOException {
    this.masterPid = masterPid;
    Path group = Files.createDirectories(own.resolve("drover-" + masterPid));
    Path leaf = Files.createDirectories(group.resolve("master"));
    write(leaf.resolve("cgroup.procs"), Long.toString(selfPid));
    String enable = enableList();
    if (!enable.isEmpty()) {
      write(own.resolve("cgroup.subtree_control"), enable);
      write(group.resolve("cgroup.subtree_control"), enable);
    }
  }

  private String enableList() {
    List<String> enable = new ArrayList<>();
    for (String c : List.of("memory", "cpu", "pids")) {
      if (available.contains(c)) {
        enable.add("+" + c);
      }
    }
    return String.join(" ", enable);
  }

  @Override
  WorkerCgroup createWorker(String name, WorkerLimits limits) throws IOException {
    Path dir = Files.createDirectory(own.resolve("drover-" + masterPid).resolve(name));
    WorkerCgroup group = new WorkerCgroup(List.of(dir), available.contains("memory") ? dir.resolve("memory.events") : null);
    try {
      if (limits.memoryBytes() != 0) {
        write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
        // Past the hard limit a worker is to be killed, not swapped out.
        if (Files.exists(dir.resolve("memory.swap.max"))) {
          write(dir.resolve("memory.swap.max"), "0");
        }
      }
      if (limits.memoryHighBytes() != 0) {
        write(dir.resolve("memory.high"), Long.toString(limits.memoryHighBytes()));
      }
      if (limits.cpus() != 0) {
        write(dir.resolve("cpu.max"), cpuQuotaMicros(limits.cpus()) + " " + CPU_PERIOD_US);
      }
      if (limits.maxProcesses() != 0) {
        write(dir.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
      }
    } catch (IOException e) {
      group.remove();
      throw e;
    }
    return group;
  }

  /**
   * Removes the workers' cgroups, then moves the master back to its own cgroup (possible once its
   * controllers are handed back) so that {@code drover-<pid>} can go too; what cannot be removed
   * is removed by the next master's start, once this one is gone.
   */
  @Override
  void close(long masterPid) {
    Path group = own.resolve("drover-" + masterPid);
    String disable = enableList().replace('+', '-');
    try (var children = Files.newDirectoryStream(group, p -> !p.getFileName().toString().equals("master") && Files.isDirectory(p))) {
      for (Path worker : children) {
        removeTree(worker);
      }
      if (!disable.isEmpty()) {
        write(group.resolve("cgroup.subtree_control"), disable);
        write(own.resolve("cgroup.subtree_control"), disable);
      }
      write(own.resolve("cgroup.procs"), Long.toString(selfPid));
    } catch (IOException | RuntimeException e) {
      // Other cgroups beside ours use the controllers: the master stays in its leaf, which the
      // next master removes once this one is gone.
      log.debug("cannot move the master back to {}: {}", own, e.toString());
    }
    removeTree(group);
  }

  private static String file(Limit limit) {
    return switch (limit) {
      case MEMORY -> "memory.max";
      case MEMORY_HIGH -> "memory.high";
      case CPU -> "cpu.max";
      case PROCESSES -> "pids.max";
      case OPEN_FILES -> throw new IllegalArgumentException("limit: " + limit + " (expected: one cgroups enforce)");
    };
  }
}
