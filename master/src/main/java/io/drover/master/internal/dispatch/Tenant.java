package io.drover.master.internal.dispatch;

import io.drover.master.config.TenantSettings;
import io.drover.master.internal.auth.TaskTypeBits;
import io.drover.protocol.wire.RequestHeaderCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant as the dispatcher tracks it: its limits, in the form the task path checks cheaply (a
 * bitset of task type ids, a bitmask of priorities), and its counters. Kept by name across
 * reloads, which change its limits in place, so that connections open at a reload take the new
 * limits at once and its counts go on. Dispatch loop only.
 */
final class Tenant {
  final String name;
  /** Null: every task type. */
  TaskTypeBits types;
  /** Bit {@code p} set when wire priority {@code p} is allowed. */
  int priorities;
  /** {@link Integer#MAX_VALUE} without a limit. */
  int maxInFlight = Integer.MAX_VALUE;
  /** Its share of the queue's task bound, 0..1. */
  double queueShare = 1;
  /** False once a reload dropped it: its open connections keep running, no new one gets it. */
  boolean configured = true;

  /** Its tasks accepted and not yet answered, over all its connections. */
  int inFlight;
  /** Its tasks waiting in the master for a worker. */
  int waiting;
  /** Tasks accepted (a job counts its subtasks). */
  long submitted;
  /** Tasks answered or dropped. */
  long completed;
  /** Requests refused with PERMISSION_DENIED. */
  long denied;
  /** Connections authenticated as it, now. */
  int connections;
  /** Its connections are not read: it is at its in-flight limit. */
  boolean paused;
  /** A run of {@code ClientPort.releaseHeld} is due on the loop. */
  boolean releaseScheduled;
  /** Its connections holding requests that arrived while it was at its limit, in arrival order. */
  final List<ClientSession> holding = new ArrayList<>();
  final List<ClientSession> sessions = new ArrayList<>();

  Tenant(String name) {
    this.name = name;
  }

  /** Takes {@code s}'s limits; task types are looked up (created if new) in {@code table}. */
  void configure(TenantSettings s, TaskTypeTable table) {
    TaskTypeBits bits = null;
    if (!s.anyTaskType()) {
      bits = new TaskTypeBits();
      for (String type : s.taskTypes()) {
        bits.add(table.getOrCreate(type).id);
      }
    }
    types = bits;
    priorities = priorityMask(s.maxPriority());
    maxInFlight = s.maxInFlight() == 0 ? Integer.MAX_VALUE : s.maxInFlight();
    queueShare = s.queueShare();
    configured = true;
  }

  static int priorityMask(TenantSettings.Priority max) {
    int mask = 1 << RequestHeaderCodec.PRIORITY_LOW;
    if (max != TenantSettings.Priority.LOW) {
      mask |= 1 << RequestHeaderCodec.PRIORITY_NORMAL;
    }
    if (max == TenantSettings.Priority.HIGH) {
      mask |= 1 << RequestHeaderCodec.PRIORITY_HIGH;
    }
    return mask;
  }

  /**
   * Why the tenant may not run a task of {@code type} (null: a type no worker has served) at
   * wire priority {@code priority}, or null when it may. The task path's check: a bit test or two.
   */
  String refusal(TaskType type, int priority) {
    TaskTypeBits t = types;
    if (t != null && (type == null || !t.contains(type.id))) {
      return "tenant " + name + " may not run this task type";
    }
    return priorityRefusal(priority);
  }

  /**
   * As {@link #refusal} for a JOB. A tenant limited to some task types may send none: its
   * subtasks' types are in the job's body, which is not checked type by type.
   */
  String jobRefusal(int priority) {
    if (types != null) {
      return "tenant " + name + " may run only some task types, and jobs are not checked subtask by subtask: submit the tasks one by one";
    }
    return priorityRefusal(priority);
  }

  private String priorityRefusal(int priority) {
    int p = WaitingTasks.of(priority); // unknown numbers run as NORMAL
    if ((priorities & (1 << p)) == 0) {
      return "tenant " + name + " may not use priority " + (p == RequestHeaderCodec.PRIORITY_HIGH ? "HIGH" : "NORMAL");
    }
    return null;
  }

  /** Whether its tasks must wait in its sockets: it has its maximum in flight. */
  boolean atLimit() {
    return inFlight >= maxInFlight;
  }

  /** The most of its tasks that may wait in a queue whose bound is {@code maxQueuedTasks}. */
  int maxWaiting(int maxQueuedTasks) {
    return queueShare >= 1 ? maxQueuedTasks : (int) Math.max(1, queueShare * maxQueuedTasks);
  }

  @Override
  public String toString() {
    return "tenant " + name;
  }
}
