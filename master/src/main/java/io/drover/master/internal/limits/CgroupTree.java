package io.drover.master.internal.limits;

import io.drover.master.config.WorkerLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's part of a cgroup hierarchy: a {@code drover-<master pid>} cgroup under the
 * master's own, holding one cgroup per worker process. Says which limits it can enforce, creates
 * and removes the cgroups and writes their limit files. Used on the supervisor thread.
 */
abstract class CgroupTree {
  private static final Logger log = LoggerFactory.getLogger(CgroupTree.class);
  private static final Pattern MASTER_GROUP = Pattern.compile("drover-([0-9]+)");

  /** {@code "cgroup v1"} or {@code "cgroup v2"}. */
  abstract String version();

  /** How this tree enforces {@code limit} ({@code "cgroup v1 memory.limit_in_bytes"}), or null if it cannot. */
  abstract String enforces(Limit limit);

  /** Why this tree cannot enforce {@code limit}. */
  abstract String whyNot(Limit limit);

  /** The directories the master's cgroups are made in: the master's own cgroups. */
  abstract List<Path> ownGroups();

  /** Creates {@code drover-<masterPid>} (made ready for worker cgroups). */
  abstract void open(long masterPid) throws IOException;

  /** Creates cgroup {@code name} for one worker under {@code drover-<masterPid>}, its limits written. */
  abstract WorkerCgroup createWorker(String name, WorkerLimits limits) throws IOException;

  /** Removes {@code drover-<masterPid>} and what is left in it; the workers are gone. */
  void close(long masterPid) {
    for (Path own : ownGroups()) {
      removeTree(own.resolve("drover-" + masterPid));
    }
  }

  /** Removes the {@code drover-<pid>} cgroups of masters that are no longer running. */
  void removeStale(long masterPid) {
    for (Path own : ownGroups()) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(own, p -> MASTER_GROUP.matcher(p.getFileName().toString()).matches())) {
        for (Path dir : dirs) {
          Matcher m = MASTER_GROUP.matcher(dir.getFileName().toString());
          m.matches();
          long pid = Long.parseLong(m.group(1));
          if (pid != masterPid && ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty() && removeTree(dir)) {
            log.info("removed {}, the cgroup of master pid {}, which is gone", dir, pid);
          }
        }
      } catch (IOException | RuntimeException e) {
        log.debug("cannot look for stale cgroups in {}: {}", own, e.toString());
      }
    }
  }

  /**
   * Removes the cgroup {@code dir} and the cgroups under it, deepest first ({@code rmdir}: the
   * kernel takes a cgroup's files with it, and refuses while a process is in it).
   *
   * @return whether {@code dir} is gone
   */
  static boolean removeTree(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
      for (Path child : children) {
        removeTree(child);
      }
    } catch (IOException e) {
      log.debug("cannot list cgroup {}: {}", dir, e.toString());
    }
    try {
      Files.delete(dir);
      return true;
    } catch (IOException e) {
      log.debug("cannot remove cgroup {}: {}", dir, e.toString());
      return false;
    }
  }

  /** Writes {@code value} to the control file {@code file}, naming it when the kernel refuses. */
  static void write(Path file, String value) throws IOException {
    try {
      Files.writeString(file, value, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
    }
  }

  /** The number after {@code key} in a flat-keyed control file ({@code "oom_kill 1"}); 0 without the key. */
  static long keyedValue(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      if (line.startsWith(key + " ")) {
        return Long.parseLong(line.substring(key.length() + 1).trim());
      }
    }
    return 0;
  }

  /** Whether the cgroup directory {@code dir} exists and this process may create cgroups in it. */
  static boolean writable(Path dir) {
    return dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
  }

  /** The CPU quota for {@code cpus} cores per {@link #CPU_PERIOD_US} period. */
  static long cpuQuotaMicros(double cpus) {
    return Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
  }

  /** The CPU period, the kernel's default: 100 ms. */
  static final long CPU_PERIOD_US = 100_000;

  /** The cgroups of the tree that the worker's process joins and the limits went into. */
  static List<Path> joined(List<Path> dirs) {
    List<Path> procs = new ArrayList<>(dirs.size());
    for (Path d : dirs) {
      procs.add(d.resolve("cgroup.procs"));
    }
    return procs;
  }
}
