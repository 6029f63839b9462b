package io.drover.master.config;

import io.drover.protocol.HumanUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Limits the kernel enforces on each worker process: memory, CPU, processes and open files. Each
 * is off at 0. The master detects at start-up how this machine can enforce them (cgroup v2, cgroup
 * v1, rlimits) and refuses to start when one cannot be, unless {@link #bestEffort()}.
 *
 * @param memoryBytes hard memory limit: a worker above it is killed by the kernel (0: none)
 * @param memoryHighBytes soft mark: above it the kernel reclaims the worker's memory hard (cgroup
 *     v2 {@code memory.high}, v1 {@code memory.soft_limit_in_bytes}); at most the hard limit (0: none)
 * @param cpus CPU quota in cores, such as 0.5 (0: none)
 * @param maxProcesses most processes and threads in a worker (a JVM runs a few dozen threads
 *     before any handler does; 0: none)
 * @param maxOpenFiles most open files of a worker (0: none)
 * @param bestEffort start even when some limit cannot be enforced on this machine, with a warning
 *     naming it, instead of refusing
 */
public record WorkerLimits(
    long memoryBytes, long memoryHighBytes, double cpus, int maxProcesses, int maxOpenFiles, boolean bestEffort) {

  /** No limit at all. */
  public static final WorkerLimits NONE = new WorkerLimits(0, 0, 0, 0, 0, false);

  /** Smallest memory limit: a JVM cannot even start below it. */
  public static final long MIN_MEMORY_BYTES = 32L << 20;

  /** Most cores a quota may name. */
  public static final int MAX_CPUS = 4096;

  /** Validates each limit; the message names the bad one and the range it expected. */
  public WorkerLimits {
    if (memoryBytes != 0) {
      SettingChecks.checkRange("memoryBytes", memoryBytes, MIN_MEMORY_BYTES, SettingChecks.MAX_BYTES);
    }
    if (memoryHighBytes != 0) {
      SettingChecks.checkRange("memoryHighBytes", memoryHighBytes, MIN_MEMORY_BYTES, memoryBytes == 0 ? SettingChecks.MAX_BYTES : memoryBytes);
    }
    // At least 1 ms of CPU per 100 ms period, the smallest quota the kernel takes.
    if (cpus != 0 && !(cpus >= 0.01 && cpus <= MAX_CPUS)) {
      throw new IllegalArgumentException("cpus: " + cpus + " (expected: 0.01.." + MAX_CPUS + ", or 0 for no limit)");
    }
    SettingChecks.checkRange("maxProcesses", maxProcesses, 0, SettingChecks.MAX_TASKS);
    SettingChecks.checkRange("maxOpenFiles", maxOpenFiles, 0, SettingChecks.MAX_TASKS);
  }

  /** Whether any limit is set. */
  public boolean any() {
    return memoryBytes != 0 || memoryHighBytes != 0 || cpus != 0 || maxProcesses != 0 || maxOpenFiles != 0;
  }

  /** The limits set, in words: {@code "memory 256 MiB, cpu 0.5 cores"}; {@code "none"} when none is. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (memoryBytes != 0) {
      parts.add("memory " + HumanUnits.bytes(memoryBytes));
    }
    if (memoryHighBytes != 0) {
      parts.add("memory high " + HumanUnits.bytes(memoryHighBytes));
    }
    if (cpus != 0) {
      parts.add("cpu " + cores(cpus) + (cpus == 1 ? " core" : " cores"));
    }
    if (maxProcesses != 0) {
      parts.add("processes " + maxProcesses);
    }
    if (maxOpenFiles != 0) {
      parts.add("open files " + maxOpenFiles);
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  /** {@code 0.5}, {@code 2}: a core count without a needless fraction. */
  public static String cores(double cpus) {
    return cpus == Math.rint(cpus) ? Long.toString((long) cpus) : String.format(Locale.ROOT, "%s", cpus);
  }

  /** A builder with no limit set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link WorkerLimits}; every setter is optional. */
  public static final class Builder {
    private long memoryBytes;
    private long memoryHighBytes;
    private double cpus;
    private int maxProcesses;
    private int maxOpenFiles;
    private boolean bestEffort;

    private Builder() {}

    /** Hard memory limit in bytes (default 0: none). */
    public Builder memoryBytes(long bytes) {
      memoryBytes = bytes;
      return this;
    }

    /** Soft memory mark in bytes (default 0: none). */
    public Builder memoryHighBytes(long bytes) {
      memoryHighBytes = bytes;
      return this;
    }

    /** CPU quota in cores (default 0: none). */
    public Builder cpus(double cores) {
      cpus = cores;
      return this;
    }

    /** Most processes and threads (default 0: none). */
    public Builder maxProcesses(int n) {
      maxProcesses = n;
      return this;
    }

    /** Most open files (default 0: none). */
    public Builder maxOpenFiles(int n) {
      maxOpenFiles = n;
      return this;
    }

    /** Start with the limits this machine can enforce, warning of the others (default false). */
    public Builder bestEffort(boolean allowed) {
      bestEffort = allowed;
      return this;
    }

    /** Validates and returns the limits. */
    public WorkerLimits build() {
      return new WorkerLimits(memoryBytes, memoryHighBytes, cpus, maxProcesses, maxOpenFiles, bestEffort);
    }
  }
}
