package io.drover.master.internal.inline;

import io.drover.master.internal.dispatch.WorkerRegistry;
import java.util.List;

/** The registry of inline mode: its one worker lives in the master, so there is nothing to check. */
public enum InlineRegistry implements WorkerRegistry {
  /** The instance. */
  INSTANCE;

  @Override
  public String registered(int workerId, long pid, int capacity, List<String> taskTypes) {
    return pid == ProcessHandle.current().pid() ? null : "only the inline worker may register in inline mode";
  }

  @Override
  public void disconnected(int workerId, long pid) {}
}
