package io.drover.master.internal.dispatch;

import io.drover.master.internal.schedule.Scheduler;
import io.drover.protocol.proto.Status;

/**
 * Puts tasks on workers: a new task goes to the worker the {@link Scheduler} picks, or waits in
 * its type's queue while no worker serving it has room (or is refused when {@link Admission} says
 * the queue is full); a worker that frees room is refilled from the queues of the types it serves.
 */
final class Placement {
  /** Replaced by a reload; dispatch loop only. */
  private Scheduler scheduler;
  private final Admission admission;
  private final TaskLedger ledger;

  Placement(Scheduler scheduler, Admission admission, TaskLedger ledger) {
    this.scheduler = scheduler;
    this.admission = admission;
    this.ledger = ledger;
  }

  /** Uses {@code next} from now on (a reload); the workers' tasks are timed if it reads service times. */
  void scheduler(Scheduler next, Iterable<WorkerSession> workers) {
    this.scheduler = next;
    for (WorkerSession w : workers) {
      w.timed = next.usesServiceTime();
    }
  }

  /** Whether the scheduler reads each worker's service time (so tasks must be timed). */
  boolean timesTasks() {
    return scheduler.usesServiceTime();
  }

  /**
   * Sends a new task, accepted at {@code nowNanos} (its {@code sentAtNanos}), to a worker, or
   * queues it, or answers {@code OVERLOADED}.
   */
  void dispatch(Task task, long nowNanos) {
    WorkerSession worker = pickFor(task);
    if (worker != null) {
      worker.send(task, nowNanos);
    } else if (admission.isShuttingDown() && task.type.workers.isEmpty()) {
      // A job's reduce step during shutdown, say: no worker for it will come.
      ledger.answerNoWorkerLeft(task);
    } else if (admission.mayQueue(task)) {
      task.type.waiting.addLast(task);
      admission.queued(task);
    } else {
      if (task.job == null) {
        task.type.stats.answered(Status.OVERLOADED_VALUE);
      }
      task.client.sendError(task.requestId, Status.OVERLOADED_VALUE, admission.overloadedMessage(task), 0);
      ledger.complete(task);
    }
  }

  /** The worker the scheduler picks for {@code task}, or null when none serving it has room. */
  WorkerSession pickFor(Task task) {
    return scheduler.pick(task.type.workers, task.routingHash);
  }

  /** Places a task that was placed before (its worker died or was draining); never refused. */
  void redispatch(Task task) {
    WorkerSession worker = pickFor(task);
    if (worker != null) {
      worker.send(task);
    } else {
      enqueueFirst(task);
    }
  }

  /** Queues a task that was already placed once, ahead of newer ones; never refused. */
  void enqueueFirst(Task task) {
    task.type.waiting.addFirst(task);
    admission.queued(task);
  }

  /** Gives {@code worker} waiting tasks until it is full or none is left for it. */
  void fill(WorkerSession worker) {
    if (admission.queued() > 0) {
      fill(worker, System.nanoTime()); // rare: a registration or a writable worker
    }
  }

  /**
   * Gives {@code worker} waiting tasks until it is full or none is left for it; {@code nowNanos}
   * is a {@link System#nanoTime} reading the caller already has (the end of their queue wait).
   */
  void fill(WorkerSession worker, long nowNanos) {
    boolean took = false;
    while (admission.queued() > 0 && worker.hasRoom()) {
      TaskType type = worker.nextTypeWithWaiting();
      if (type == null) {
        break;
      }
      Task task = type.waiting.poll();
      admission.dequeued(task);
      took = true;
      if (task.client.open && !task.answered) {
        worker.send(task, nowNanos);
      } else {
        ledger.complete(task);
      }
    }
    if (took) {
      admission.afterDequeue();
    }
  }
}
