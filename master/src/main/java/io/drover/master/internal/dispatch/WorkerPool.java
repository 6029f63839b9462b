package io.drover.master.internal.dispatch;

import io.drover.master.config.InFlightLimit;
import io.drover.master.status.WorkerSnapshot;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Registration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered workers and the task types they serve: admits a worker's registration (after the
 * {@link WorkerRegistry} vouches for its process), drops it when its connection closes, and
 * carries out what the supervisor asks of a worker (drain, disconnect). Asks the registry to
 * recycle a worker that served its quota of tasks or whose handler ignored a cancellation.
 */
final class WorkerPool {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final WorkerRegistry registry;
  /** Changed by a reload; dispatch loop only. */
  private InFlightLimit inFlightLimit;
  private final TaskTypeTable types = new TaskTypeTable();
  private final List<WorkerSession> workers = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom();
  private long maxTasksPerWorker;
  private String handlerSource = "from the worker classpath";
  /** The served task types last logged: logged again only when they change. */
  private String servedLogged;

  WorkerPool(WorkerRegistry registry, InFlightLimit inFlightLimit) {
    this.registry = registry;
    this.inFlightLimit = inFlightLimit;
  }

  /** See {@link Dispatcher#recycleAfterTasks}; applies to the workers registered already too. */
  void recycleAfterTasks(long maxTasks) {
    if (maxTasks == maxTasksPerWorker) {
      return;
    }
    this.maxTasksPerWorker = maxTasks;
    for (WorkerSession w : workers) {
      w.recycleAfter = recycleAfter();
    }
  }

  private long recycleAfter() {
    return maxTasksPerWorker > 0 ? maxTasksPerWorker + random.nextLong(maxTasksPerWorker / 10 + 1) : Long.MAX_VALUE;
  }

  /**
   * How many tasks a worker may hold, from now on, for the workers registered already too (a
   * fixed cap never below a worker's own capacity; an adaptive limit that starts again from it).
   * Unchanged settings leave the workers' adaptive limits as they are.
   */
  void inFlightLimit(InFlightLimit limit) {
    if (limit.equals(inFlightLimit)) {
      return;
    }
    this.inFlightLimit = limit;
    for (WorkerSession w : workers) {
      applyLimit(w);
    }
  }

  private void applyLimit(WorkerSession w) {
    InFlightLimit l = inFlightLimit;
    if (l.adaptive()) {
      w.adaptive =
          new AdaptiveInFlight(
              w.capacity, l.adaptiveMax(), l.queueDelay().toNanos(), l.probeInterval().toNanos(), System.nanoTime(), random.nextDouble());
      w.inFlightCap = w.adaptive.limit();
    } else {
      w.adaptive = null;
      w.inFlightCap = Math.max(w.capacity, l.fixedCap());
    }
  }

  /** See {@link Dispatcher#handlerSource}. */
  void handlerSource(String description) {
    this.handlerSource = description;
  }

  List<WorkerSession> all() {
    return workers;
  }

  // ---- task types ----

  /** The table of task types, which tenants' allowed types are looked up in. */
  TaskTypeTable typeTable() {
    return types;
  }

  /** The task type named by those bytes, or null when none is known. */
  TaskType findType(io.netty.buffer.ByteBuf buf, int index, int length) {
    return types.find(buf, index, length);
  }

  /** Every task type a worker ever served. */
  Iterable<TaskType> types() {
    return types.all();
  }

  /** Why a task type that no worker serves is refused, naming the types that are served. */
  String typeProblem(String name, int typeBytes) {
    String problem = FrameLimits.taskTypeProblem(typeBytes);
    if (problem != null) {
      return problem;
    }
    // --worker-classpath replaces the bundled examples: point at it, for the user who added a jar
    // and still sends the examples' types, or the other way round.
    return "no worker serves task type '" + name + "' (served: " + types.servedNames()
        + "; handlers come from --worker-classpath)";
  }

  // ---- registration ----

  /** Admits a registration; null when accepted, else why not (the connection is then closed). */
  String register(WorkerSession worker, Registration r) {
    if (worker.peerPid >= 0 && r.getPid() != worker.peerPid) {
      return "it claims pid " + r.getPid() + " but its socket belongs to pid " + worker.peerPid;
    }
    if (r.getCapacity() <= 0) {
      return "capacity " + r.getCapacity() + " (expected: > 0)";
    }
    for (String name : r.getTaskTypesList()) {
      String problem = FrameLimits.taskTypeProblem(name.getBytes(StandardCharsets.UTF_8).length);
      if (problem != null) {
        return "task type '" + name + "': " + problem;
      }
    }
    String refusal = registry.registered(r.getWorkerId(), r.getPid(), r.getCapacity(), r.getTaskTypesList());
    if (refusal != null) {
      return refusal;
    }
    worker.workerId = r.getWorkerId();
    worker.pid = r.getPid();
    worker.capacity = r.getCapacity();
    applyLimit(worker);
    worker.types = r.getTaskTypesList().stream().distinct().map(types::getOrCreate).toArray(TaskType[]::new);
    for (TaskType t : worker.types) {
      t.workers.add(worker);
    }
    worker.accepting = true;
    worker.recycleAfter = recycleAfter();
    workers.add(worker);
    log.info("{} ready: capacity {}, serves {}", worker, worker.capacity, r.getTaskTypesList());
    logServedTypes();
    return null;
  }

  /**
   * Says which task types the workers serve and where their handlers come from, at the first
   * registration and whenever a registration changes the set (workers that leave are logged as
   * they go; a restart that brings the same types back is not news).
   */
  private void logServedTypes() {
    String served = types.servedNames();
    if (!served.equals(servedLogged)) {
      servedLogged = served;
      log.info("workers serve task types {} ({})", served, handlerSource);
    }
  }

  /** A registered worker's connection closed: it serves nothing any more. */
  void remove(WorkerSession worker) {
    workers.remove(worker);
    for (TaskType t : worker.types) {
      t.workers.remove(worker);
    }
    registry.disconnected(worker.workerId, worker.pid);
  }

  // ---- recycling ----

  /** Counts one result of {@code worker}'s; asks for it to be recycled once it served its quota. */
  void countResult(WorkerSession worker) {
    if (++worker.completed >= worker.recycleAfter && !worker.recycleRequested) {
      worker.recycleRequested = true;
      registry.recycle(worker.workerId, worker.pid, "served " + worker.completed + " tasks");
    }
  }

  /**
   * {@code task}'s handler went on for {@code graceMillis} after it was told to stop: the thread is
   * stuck (it ignores interrupts) and holds one of the worker's slots for ever. The worker is
   * recycled — its replacement starts first, then it drains — and, once it holds nothing but
   * stuck tasks, it is disconnected (a worker exits when its master connection closes).
   */
  void stuck(WorkerSession worker, Task task, long graceMillis) {
    if (worker.stuck == null) {
      worker.stuck = new ArrayList<>();
    }
    worker.stuck.add(task);
    if (!worker.recycleRequested) {
      worker.recycleRequested = true;
      String why = "task " + task.id + " (" + task.type.name + ") ignored its cancellation for " + io.drover.protocol.HumanUnits.millis(graceMillis);
      log.warn("{}: {}; recycling the worker", worker, why);
      registry.recycle(worker.workerId, worker.pid, why);
    }
    disconnectIfOnlyStuck(worker);
  }

  /** A stuck task's handler returned after all. */
  void unstuck(WorkerSession worker, Task task) {
    worker.stuck.remove(task);
  }

  /** A draining worker that holds only tasks whose handlers ignore cancellation is let go now. */
  void disconnectIfOnlyStuck(WorkerSession worker) {
    List<Task> stuck = worker.stuck;
    if (stuck != null && !stuck.isEmpty() && !worker.accepting && worker.outstanding() <= stuck.size()) {
      log.warn("{} holds only {} stuck task(s) while draining; disconnecting it", worker, stuck.size());
      worker.link.close();
    }
  }

  // ---- asked by the supervisor ----

  /** Drops the connection of the worker with {@code pid} (it is being killed). */
  void disconnect(long pid) {
    for (WorkerSession w : workers) {
      if (w.pid == pid) {
        w.accepting = false;
        w.link.close();
      }
    }
  }

  /** Asks the worker with {@code pid} to finish its tasks and exit (its replacement is ready). */
  void drain(long pid) {
    for (WorkerSession w : workers) {
      if (w.pid == pid && w.accepting) {
        w.accepting = false;
        w.sendDrain();
        disconnectIfOnlyStuck(w);
      }
    }
  }

  /** Asks every worker to finish its tasks and exit. */
  void drainAll() {
    for (WorkerSession w : workers) {
      w.accepting = false;
      w.sendDrain();
    }
  }

  // ---- status ----

  /** Tasks on workers now. */
  int outstanding() {
    int n = 0;
    for (WorkerSession w : workers) {
      n += w.outstanding();
    }
    return n;
  }

  /** The counters of every task type label, each once. */
  List<TaskStats> typeStats() {
    return types.stats();
  }

  List<WorkerSnapshot> snapshots() {
    List<WorkerSnapshot> out = new ArrayList<>(workers.size());
    for (WorkerSession w : workers) {
      List<String> names = new ArrayList<>();
      for (TaskType t : w.types) {
        names.add(t.name);
      }
      out.add(new WorkerSnapshot(w.workerId, w.pid, w.capacity, w.outstanding(), w.inFlightCap, w.completed, names));
    }
    return out;
  }
}
