package io.drover.master.internal.dispatch;

import io.drover.master.internal.schedule.LeastLoadedScheduler;
import io.drover.protocol.proto.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to the tasks a dead worker held: each is placed again at once (ahead of newer
 * tasks) with its attempt count raised, up to the most attempts; past them, or when the client
 * marked it not safe to retry, it fails with {@code WORKER_CRASHED}.
 *
 * <p>A task's last attempt runs alone on a reserved worker, so that a poison task that kills every
 * worker it reaches takes no other task's last attempt with it. The tasks waiting for that are
 * bounded and never starve the rest: they count towards the queue's bounds like any waiting task;
 * between two isolated runs the reserved worker is released and refilled with ordinary tasks; and
 * beyond {@value #MAX_WAITING_FOR_ISOLATION} waiting, a task gets its last attempt like any other
 * retry rather than waiting for a turn alone.
 *
 * <p>Once the master is shutting down, a task whose worker dies is not run again: it fails with
 * {@code WORKER_CRASHED} at once. The same Ctrl-C reaches every worker, so a retry would likely
 * die the same way, after running the handler a second time for a master that is stopping. No
 * worker is started during shutdown either, so the tasks waiting for a type whose last worker is
 * gone are answered at once ({@link #answerStranded}).
 */
final class CrashRetries {
  private static final Logger log = LoggerFactory.getLogger(CrashRetries.class);
  /** Most tasks waiting for an isolated last attempt; later ones are retried without isolation. */
  static final int MAX_WAITING_FOR_ISOLATION = 1024;

  /** Changed by a reload; dispatch loop only. */
  private int maxAttempts;
  private final Admission admission;
  private final Placement placement;
  private final TaskLedger ledger;
  /** Tasks about to get their last attempt, each to run alone on the reserved worker. */
  private final ArrayDeque<Task> lastChance = new ArrayDeque<>();
  private WorkerSession reserved;
  private long overflowLoggedAtNanos;

  /** Dispatches per task before a worker crash fails it, from now on (a reload). */
  void maxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  CrashRetries(int maxAttempts, Admission admission, Placement placement, TaskLedger ledger) {
    this.maxAttempts = maxAttempts;
    this.admission = admission;
    this.placement = placement;
    this.ledger = ledger;
  }

  /** Completes every task waiting for an isolated attempt (the master is stopping); returns how many. */
  int releaseWaiting() {
    int n = lastChance.size();
    for (Task task; (task = lastChance.poll()) != null; ) {
      admission.dequeued(task);
      ledger.complete(task);
    }
    return n;
  }

  /** {@code worker}'s connection is gone: places again, or fails, every task it held. */
  void workerLost(WorkerSession worker) {
    if (worker == reserved) {
      reserved = null;
    }
    worker.isolated = null;
    if (!worker.inFlight.isEmpty()) {
      log.warn("{} disconnected with {} tasks in flight; placing them again (or failing them past their attempts)", worker, worker.inFlight.size());
      List<Task> orphans = new ArrayList<>(worker.inFlight.values());
      worker.inFlight.clear();
      orphans.sort((a, b) -> Long.compare(a.id, b.id));
      List<Task> unplaced = new ArrayList<>();
      for (Task task : orphans) {
        retryOrFail(task, worker, unplaced);
      }
      // Retries go ahead of tasks that came after them, oldest first.
      for (int i = unplaced.size() - 1; i >= 0; i--) {
        placement.enqueueFirst(unplaced.get(i));
      }
    }
    isolate();
    if (admission.isShuttingDown()) {
      answerStranded(java.util.Arrays.asList(worker.types));
    }
  }

  /**
   * During shutdown: answers every task waiting for a type in {@code types} that no registered
   * worker serves any more, since no worker will be started for it ({@link
   * TaskLedger#answerNoWorkerLeft}).
   */
  void answerStranded(Iterable<TaskType> types) {
    boolean dequeued = false;
    boolean lastChanceAnswered = false;
    for (TaskType type : types) {
      if (!type.workers.isEmpty()) {
        continue;
      }
      for (Task task; (task = type.waiting.poll()) != null; dequeued = true) {
        admission.dequeued(task);
        ledger.answerNoWorkerLeft(task);
      }
      for (var it = lastChance.iterator(); it.hasNext(); ) {
        Task task = it.next();
        if (task.type == type) {
          it.remove();
          admission.dequeued(task);
          ledger.answerNoWorkerLeft(task);
          dequeued = true;
          lastChanceAnswered = true;
        }
      }
    }
    if (lastChanceAnswered) {
      isolate(); // releases a worker reserved for them
    }
    if (dequeued) {
      admission.afterDequeue();
    }
  }

  private void retryOrFail(Task task, WorkerSession lost, List<Task> unplaced) {
    task.worker = null;
    if (!task.client.open || task.answered) {
      ledger.complete(task);
    } else if (task.noRetry || task.attempts >= maxAttempts || admission.isShuttingDown()) {
      String why =
          task.noRetry
              ? lost + " died while running this task, which is marked not safe to retry"
              : task.attempts >= maxAttempts
                  ? lost + " died while running this task, after " + task.attempts + " attempts"
                  : lost + " died while running this task during the master's shutdown; no task is run again once shutdown has begun";
      ledger.answerError(task, Status.WORKER_CRASHED_VALUE, why);
      ledger.complete(task);
    } else if (maxAttempts > 1 && task.attempts == maxAttempts - 1 && lastChance.size() < MAX_WAITING_FOR_ISOLATION) {
      lastChance.add(task);
      admission.queued(task);
    } else {
      if (task.attempts == maxAttempts - 1) {
        logOverflow(task);
      }
      WorkerSession worker = placement.pickFor(task);
      if (worker != null) {
        worker.send(task);
      } else {
        unplaced.add(task);
      }
    }
  }

  private void logOverflow(Task task) {
    long now = System.nanoTime();
    if (now - overflowLoggedAtNanos > 1_000_000_000L) {
      overflowLoggedAtNanos = now;
      log.warn(
          "{} tasks already wait for an isolated last attempt; task {} and others get theirs without isolation",
          lastChance.size(), task.id);
    }
  }

  /**
   * A result arrived from {@code worker} for {@code task}. After an isolated run the reserved
   * worker is released and refilled with ordinary tasks before the next one is isolated, so that
   * the rest of the queue keeps moving even on a pool of one.
   */
  void resultArrived(WorkerSession worker, Task task) {
    if (worker.isolated == task) {
      worker.isolated = null;
      if (worker == reserved) {
        release();
      }
    }
  }

  /**
   * After a result: a reserved worker that has finished what it held takes its isolated task, and
   * after a release the next last-chance task gets a worker reserved.
   */
  void afterResult(WorkerSession worker) {
    if (worker == reserved || (reserved == null && !lastChance.isEmpty())) {
      isolate();
    }
  }

  /**
   * Runs the next last-chance task alone: reserves a worker (no new tasks go to it), waits for it
   * to finish what it holds, sends it the one task, and lets it take tasks again when no
   * last-chance task is left.
   */
  void isolate() {
    while (!lastChance.isEmpty()) {
      Task next = lastChance.peek();
      if (!next.client.open || next.answered) {
        lastChance.poll();
        admission.dequeued(next);
        ledger.complete(next);
        continue;
      }
      WorkerSession w = reserved;
      if (w != null && !w.serves(next.type)) {
        release();
        w = null;
      }
      if (w == null) {
        w = LeastLoadedScheduler.fewestOutstanding(next.type.workers);
        if (w == null) {
          return;
        }
        w.reserved = true;
        reserved = w;
      }
      if (w.isolated != null || w.outstanding() > 0) {
        return;
      }
      lastChance.poll();
      admission.dequeued(next);
      log.info("task {} gets its last attempt alone on {}, so a poison task cannot take others with it", next.id, w);
      w.isolated = next;
      w.send(next);
      return;
    }
    if (reserved != null && reserved.isolated == null) {
      release();
    }
  }

  private void release() {
    WorkerSession w = reserved;
    reserved = null;
    w.reserved = false;
    placement.fill(w);
  }
}
