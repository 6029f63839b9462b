package io.drover.master.internal.limits;

import io.drover.master.config.WorkerLimits;
import io.drover.protocol.HumanUnits;

/** One kind of limit on a worker, as {@link WorkerLimits} sets it. */
enum Limit {
  MEMORY,
  MEMORY_HIGH,
  CPU,
  PROCESSES,
  OPEN_FILES;

  /** The cgroup controller that enforces it, in v1 and v2 alike; null for one cgroups do not. */
  String controller() {
    return switch (this) {
      case MEMORY, MEMORY_HIGH -> "memory";
      case CPU -> "cpu";
      case PROCESSES -> "pids";
      case OPEN_FILES -> null;
    };
  }

  /** Whether {@code limits} sets this one. */
  boolean isSet(WorkerLimits limits) {
    return switch (this) {
      case MEMORY -> limits.memoryBytes() != 0;
      case MEMORY_HIGH -> limits.memoryHighBytes() != 0;
      case CPU -> limits.cpus() != 0;
      case PROCESSES -> limits.maxProcesses() != 0;
      case OPEN_FILES -> limits.maxOpenFiles() != 0;
    };
  }

  /** This limit's value in {@code limits}, in words: {@code "memory 256 MiB"}. */
  String describe(WorkerLimits limits) {
    return switch (this) {
      case MEMORY -> "memory " + HumanUnits.bytes(limits.memoryBytes());
      case MEMORY_HIGH -> "memory high " + HumanUnits.bytes(limits.memoryHighBytes());
      case CPU -> "cpu " + WorkerLimits.cores(limits.cpus()) + (limits.cpus() == 1 ? " core" : " cores");
      case PROCESSES -> "processes " + limits.maxProcesses();
      case OPEN_FILES -> "open files " + limits.maxOpenFiles();
    };
  }
}
