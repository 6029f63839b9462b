package io.drover.master.internal.limits;

import io.drover.master.config.WorkerLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * cgroup v1: one hierarchy per controller ({@code memory}, {@code cpu}, {@code pids}, and {@code
 * cpuacct} for accounting), each with the master's cgroup in it. A worker's process joins its
 * cgroup in every hierarchy that is writable.
 */
final class CgroupV1 extends CgroupTree {
  /** The master's writable cgroup by controller. */
  private final Map<String, Path> own;
  private final Map<String, Path> unwritable;
  private long masterPid = -1;

  CgroupV1(Map<String, Path> ownByController) {
    this.own = new TreeMap<>();
    this.unwritable = new TreeMap<>();
    ownByController.forEach((controller, dir) -> (writable(dir) ? own : unwritable).put(controller, dir));
  }

  /** Whether any hierarchy Drover uses is mounted (writable or not). */
  boolean present() {
    return !own.isEmpty() || !unwritable.isEmpty();
  }

  @Override
  String version() {
    return "cgroup v1";
  }

  @Override
  String enforces(Limit limit) {
    String controller = limit.controller();
    return controller == null || !own.containsKey(controller) ? null : "cgroup v1 " + file(limit);
  }

  @Override
  String whyNot(Limit limit) {
    String controller = limit.controller();
    if (controller == null) {
      return "cgroups do not limit it";
    }
    Path dir = unwritable.get(controller);
    return dir != null
        ? "the master's cgroup v1 " + controller + " cgroup " + dir + " is not writable"
        : "no cgroup v1 " + controller + " hierarchy is mounted";
  }

  @Override
  List<Path> ownGroups() {
    return List.copyOf(own.values());
  }

  @Override
  void open(long masterPid) throws IOException {
    this.masterPid = masterPid;
    for (Path dir : own.values()) {
      Files.createDirectories(dir.resolve("drover-" + masterPid));
    }
  }

  @Override
  WorkerCgroup createWorker(String name, WorkerLimits limits) throws IOException {
    List<Path> dirs = new ArrayList<>();
    Path oom = null;
    try {
      for (Map.Entry<String, Path> e : own.entrySet()) {
        // createDirectories: the master's cgroup may have been removed from under it by another
        // master that took it for a dead one's (pid namespaces apart on one cgroup tree).
        Path dir = Files.createDirectories(e.getValue().resolve("drover-" + masterPid)).resolve(name);
        Files.createDirectory(dir);
        dirs.add(dir);
        switch (e.getKey()) {
          case "memory" -> {
            oom = dir.resolve("memory.oom_control");
            if (limits.memoryBytes() != 0) {
              write(dir.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
              // With swap, the hard limit would only push the worker to swap: memory and swap
              // together get the same limit, so that past it the worker is killed.
              if (Files.exists(dir.resolve("memory.memsw.limit_in_bytes"))) {
                write(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
              }
            }
            if (limits.memoryHighBytes() != 0) {
              write(dir.resolve("memory.soft_limit_in_bytes"), Long.toString(limits.memoryHighBytes()));
            }
          }
          case "cpu" -> {
            if (limits.cpus() != 0) {
              write(dir.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
              write(dir.resolve("cpu.cfs_quota_us"), Long.toString(cpuQuotaMicros(limits.cpus())));
            }
          }
          case "pids" -> {
            if (limits.maxProcesses() != 0) {
              write(dir.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
            }
          }
          default -> {
            // cpuacct: accounting only
          }
        }
      }
    } catch (IOException e) {
      new WorkerCgroup(dirs, null).remove();
      throw e;
    }
    return new WorkerCgroup(dirs, oom);
  }

  private static String file(Limit limit) {
    return switch (limit) {
      case MEMORY -> "memory.limit_in_bytes";
      case MEMORY_HIGH -> "memory.soft_limit_in_bytes";
      case CPU -> "cpu.cfs_quota_us";
      case PROCESSES -> "pids.max";
      case OPEN_FILES -> throw new IllegalArgumentException("limit: " + limit + " (expected: one cgroups enforce)");
    };
  }
}
