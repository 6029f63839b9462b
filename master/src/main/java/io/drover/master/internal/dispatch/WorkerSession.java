package io.drover.master.internal.dispatch;

import io.drover.master.internal.schedule.Schedulable;
import io.drover.protocol.IdMap;

/** The dispatcher's view of one worker connection: what it serves and what it holds. */
public final class WorkerSession implements Schedulable {
  final WorkerLink link;
  final long peerPid;
  final IdMap<Task> inFlight = new IdMap<>();
  int workerId = -1;
  long pid;
  int capacity = 1;
  /** The most tasks it may hold now: the fixed cap, or {@link #adaptive}'s limit. */
  int inFlightCap;
  /** Its adaptive in-flight limit, or null under a fixed cap. */
  AdaptiveInFlight adaptive;
  TaskType[] types = new TaskType[0];
  boolean accepting;
  long completed;
  /** Results it returned with a status other than OK. */
  long failed;
  /** Recycle after this many results (Long.MAX_VALUE: never). */
  long recycleAfter = Long.MAX_VALUE;
  boolean recycleRequested;
  private double serviceTimeNanos;
  /** Kept free of other tasks so that a last-attempt task runs alone here. */
  boolean reserved;
  /** The last-attempt task running alone here, if any. */
  Task isolated;
  io.drover.protocol.proto.Heartbeat lastHeartbeat;
  /** The socket takes more writes without passing its high water mark. */
  boolean writable = true;
  /** Tasks whose handlers ignored their cancellation (null until one does). */
  java.util.List<Task> stuck;
  private int nextType;

  /**
   * Whether each task's service time is measured (only the scheduler that reads it needs it);
   * changes when a reload changes the scheduler.
   */
  boolean timed;

  /** The payload region this worker maps, or null: it takes every payload through its socket. */
  io.drover.master.internal.shm.PayloadRegion shm;
  /** The worker's result region, once it has sent it; null before or without shared memory. */
  io.drover.master.internal.shm.WorkerResults results;

  WorkerSession(WorkerLink link, long peerPid, boolean timed) {
    this.timed = timed;
    this.link = link;
    this.peerPid = peerPid;
  }

  @Override
  public int outstanding() {
    return inFlight.size();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public int inFlightCap() {
    return inFlightCap;
  }

  @Override
  public int workerId() {
    return workerId;
  }

  @Override
  public double cpuLoad() {
    return lastHeartbeat == null ? 0 : lastHeartbeat.getCpuLoad();
  }

  @Override
  public double memoryLoad() {
    io.drover.protocol.proto.Heartbeat h = lastHeartbeat;
    return h == null || h.getHeapMaxBytes() == 0 ? 0 : (double) h.getHeapUsedBytes() / h.getHeapMaxBytes();
  }

  @Override
  public double serviceTimeNanos() {
    return serviceTimeNanos;
  }

  /** Peak EWMA: a slower sample takes over at once; faster ones pull the average down slowly. */
  void recordServiceTime(long nanos) {
    serviceTimeNanos = nanos > serviceTimeNanos ? nanos : serviceTimeNanos + (nanos - serviceTimeNanos) * 0.1;
  }

  @Override
  public boolean acceptsTasks() {
    return accepting && !reserved && writable;
  }

  boolean hasRoom() {
    return accepting && !reserved && writable && inFlight.size() < inFlightCap;
  }

  /** Whether this worker serves {@code type}. */
  boolean serves(TaskType type) {
    for (TaskType t : types) {
      if (t == type) {
        return true;
      }
    }
    return false;
  }

  /** Sends {@code task} to this worker and records it as in flight here. */
  void send(Task task) {
    send(task, task.client.out.turnNanos());
  }

  /**
   * Sends {@code task} to this worker at {@code nowNanos} (a {@link System#nanoTime} reading the
   * caller already has) and records it as in flight here. A task of its own sent the first time
   * holds its acceptance time in {@code sentAtNanos}: that is its queue wait.
   */
  void send(Task task, long nowNanos) {
    if (++task.attempts == 1 && task.job == null) {
      task.type.stats.queueWait.record(nowNanos - task.sentAtNanos);
    }
    // The scheduler's service times need the exact clock; the metrics make do with the turn's.
    task.sentAtNanos = timed ? System.nanoTime() : nowNanos;
    task.worker = this;
    inFlight.put(task.id, task);
    if (adaptive != null) {
      adaptive.sent(inFlight.size());
    }
    if (shm != null && task.payload.readableBytes() >= shm.thresholdBytes()) {
      sendShared(task);
      return;
    }
    link.sendTask(task.id, task.type.name, task.type.utf8, task.attempts, task.traceparent(), task.payload);
  }

  /**
   * A result arrived at {@code nowNanos} (on the clock {@link #send} used) for {@code task}, sent
   * at its {@code sentAtNanos}: the adaptive limit learns from its round trip.
   */
  void roundTrip(Task task, long nowNanos) {
    if (adaptive != null) {
      inFlightCap = adaptive.result(task.sentAtNanos, nowNanos);
    }
  }

  /** Sends a large payload's offset and length in the shared region, or the payload when it is full. */
  private void sendShared(Task task) {
    task.payload = shm.share(task.payload);
    if (task.payload instanceof io.drover.master.internal.shm.SharedPayload p) {
      link.sendSharedTask(
          task.id, task.type.utf8, task.attempts, task.traceparent(), p.offset(), p.readableBytes());
    } else {
      link.sendTask(task.id, task.type.name, task.type.utf8, task.attempts, task.traceparent(), task.payload);
    }
  }

  /** Asks the worker to finish what it holds and exit. */
  void sendDrain() {
    link.sendDrain();
  }

  /** The next type with a waiting task, taking the types in turn so that none starves. */
  TaskType nextTypeWithWaiting() {
    TaskType[] t = types;
    for (int i = 0; i < t.length; i++) {
      TaskType type = t[(nextType + i) % t.length];
      if (!type.waiting.isEmpty()) {
        nextType = (nextType + i + 1) % t.length;
        return type;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "worker " + workerId + " (pid " + pid + ")";
  }
}
