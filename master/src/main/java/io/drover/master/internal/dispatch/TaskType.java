package io.drover.master.internal.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A task type some worker serves: its name, the workers serving it and the tasks waiting for one. */
final class TaskType {
  final String name;
  final byte[] utf8;
  final int hash;
  final List<WorkerSession> workers = new ArrayList<>();
  final WaitingTasks waiting = new WaitingTasks();
  /** Its counters for the metrics; shared by the types beyond the labelled ones. */
  final TaskStats stats;
  /** Its index in its {@link TaskTypeTable}, dense from 0, for tenants' bitsets; -1 outside one. */
  int id = -1;

  /** A type with counters of its own (tests). */
  TaskType(String name) {
    this(name, new TaskStats(name));
  }

  TaskType(String name, TaskStats stats) {
    this.name = name;
    this.stats = stats;
    this.utf8 = name.getBytes(StandardCharsets.UTF_8);
    this.hash = TaskTypeTable.hash(utf8);
  }
}
