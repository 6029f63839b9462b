package io.drover.master.internal.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * One worker process's share of its limits: the command prefix that puts it in its cgroup and
 * sets its rlimits, and, once it has exited, whether its memory limit killed it. Supervisor
 * thread.
 */
public final class LimitedWorker {
  private final WorkerCgroup cgroup;
  private final List<String> prefix;
  private final long memoryBytes;

  LimitedWorker(WorkerCgroup cgroup, List<String> prefix, long memoryBytes) {
    this.cgroup = cgroup;
    this.prefix = List.copyOf(prefix);
    this.memoryBytes = memoryBytes;
  }

  /** {@code command} (a {@code java} command line) run inside the limits. */
  public List<String> wrap(List<String> command) {
    if (prefix.isEmpty()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(prefix.size() + command.size());
    wrapped.addAll(prefix);
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * The process has exited (or never started): removes its cgroup.
   *
   * @return {@code "killed by the memory limit (256 MiB)"} when the kernel's OOM killer killed a
   *     process in its cgroup, else null
   */
  public String exited() {
    if (cgroup == null) {
      return null;
    }
    long kills = cgroup.oomKills();
    cgroup.remove();
    return kills > 0 && memoryBytes != 0 ? LimitPlan.memoryLimitKill(memoryBytes) : null;
  }
}
