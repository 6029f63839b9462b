package io.drover.master.internal.limits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup of one worker process (a directory in each v1 hierarchy, or one in v2): the files
 * its process writes its pid to before it runs anything, and its count of OOM kills.
 *
 * @param dirs the worker's cgroup directories
 * @param oomControl the file counting the kernel's OOM kills in it ({@code memory.oom_control}
 *     in v1, {@code memory.events} in v2), or null without a memory controller
 */
record WorkerCgroup(List<Path> dirs, Path oomControl) {
  WorkerCgroup {
    dirs = List.copyOf(dirs);
  }

  /** The {@code cgroup.procs} files a process writes its pid to, to join this cgroup. */
  List<Path> procsFiles() {
    return CgroupTree.joined(dirs);
  }

  /** Processes the kernel's OOM killer killed in this cgroup so far; 0 when it cannot tell. */
  long oomKills() {
    if (oomControl == null) {
      return 0;
    }
    try {
      return CgroupTree.keyedValue(oomControl, "oom_kill");
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** Removes the cgroup; its process is gone. */
  void remove() {
    for (Path d : dirs) {
      CgroupTree.removeTree(d);
    }
  }
}
