package io.drover.master.internal.dispatch;

import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * Where a task's life begins and ends: gives each task its id, files it under its client's
 * request id (so that CANCEL finds it), answers it early when its deadline passes or it is
 * cancelled, and completes it — the one place that releases its payload and gives its client's
 * in-flight slot back.
 *
 * <p>An early answer tells the task's worker to stop; a worker whose handler has not returned a
 * grace period after that is stuck (it ignores interrupts) and is handed to the {@link WorkerPool}
 * to be recycled.
 */
final class TaskLedger {
  private final EventLoop loop;
  private final Admission admission;
  private final WorkerPool pool;
  private JobCoordinator jobs;
  private long nextTaskId = 1;
  /** How long a cancelled task's handler may run on; 0: forever. */
  private long cancelGraceMillis;

  TaskLedger(EventLoop loop, Admission admission, WorkerPool pool) {
    this.loop = loop;
    this.admission = admission;
    this.pool = pool;
  }

  void jobs(JobCoordinator jobs) {
    this.jobs = jobs;
  }

  /** After a task is answered early, how long its handler may run on before its worker is recycled. */
  void cancelGrace(long millis) {
    this.cancelGraceMillis = millis;
  }

  /** A new task with the next task id; its client's in-flight count is not touched. */
  Task newTask(ClientSession client, long requestId, TaskType type, ByteBuf payload) {
    return new Task(nextTaskId++, client, requestId, type, payload);
  }

  /** Files a task of its own (not a job's) under its request id, so that CANCEL can find it. */
  void track(Task task) {
    task.client.tasks.put(task.requestId, task);
  }

  /** Answers the task {@code DEADLINE_EXCEEDED} once {@code timeoutMs} have passed. */
  void startDeadline(Task task, int timeoutMs) {
    task.extras().deadline =
        Deadline.after(loop, timeoutMs, "deadline", why -> abandon(task, Status.DEADLINE_EXCEEDED_VALUE, why));
  }

  /**
   * Answers a task now (deadline passed or cancelled) and tells its worker, if it has one, to
   * stop it. The task keeps its place (in a worker's in-flight set or a queue) until the worker's
   * result arrives or it is dequeued, so that every count stays exact; its result is dropped.
   */
  void abandon(Task task, int status, String message) {
    if (task.answered || task.completed) {
      return;
    }
    stopOnWorker(task);
    answerError(task, status, message);
  }

  /** Marks a task answered (its client is gone) and tells its worker, if any, to stop it. */
  void forget(Task task) {
    if (task != null && !task.answered && !task.completed) {
      task.answered = true;
      if (task.job == null) {
        task.type.stats.dropped++;
      }
      stopOnWorker(task);
    }
  }

  private void stopOnWorker(Task task) {
    WorkerSession worker = task.worker;
    if (worker == null) {
      return;
    }
    worker.link.sendCancel(task.id);
    long grace = cancelGraceMillis;
    if (grace > 0) {
      loop.schedule(
          () -> {
            if (!task.completed && task.worker == worker) {
              pool.stuck(worker, task, grace);
            }
          },
          grace,
          TimeUnit.MILLISECONDS);
    }
  }

  /** Answers a task with a status and no result: to its client, or into its job. */
  void answerError(Task task, int status, String message) {
    if (task.job == null) {
      task.answered = true;
      task.type.stats.answered(status);
      task.client.sendError(task.requestId, status, message, task.attempts);
    } else {
      jobs.record(task, status, ProtoWire.utf8(message), null);
    }
  }

  /**
   * The master is shutting down and no worker serving the task's type is left (none is started
   * during shutdown): answers it now, not at the end of the shutdown timeout, and completes it.
   * {@code SHUTTING_DOWN} when it never ran; {@code WORKER_CRASHED} when the worker running it
   * died, so that a client knows its handler may have run in part.
   */
  void answerNoWorkerLeft(Task task) {
    if (task.client.open && !task.answered) {
      if (task.attempts == 0) {
        answerError(
            task,
            Status.SHUTTING_DOWN_VALUE,
            "the master is shutting down and no worker serving '" + task.type.name + "' is left; the task did not run");
      } else {
        answerError(
            task,
            Status.WORKER_CRASHED_VALUE,
            "the worker running this task died while the master was shutting down, and no worker serving '"
                + task.type.name + "' is left to run it again");
      }
    }
    complete(task);
  }

  /** The task is gone from every queue and worker: releases its payload and its client's slot. */
  void complete(Task task) {
    task.completed = true;
    ClientSession client = task.client;
    TaskExtras extras = task.extras;
    if (extras != null && extras.deadline != null) {
      extras.deadline.cancel(false);
    }
    if (task.job == null) {
      Task removed = client.tasks.remove(task.requestId);
      if (removed != task && removed != null) {
        // The client reused the request id while this task was still running: keep the newer.
        client.tasks.put(task.requestId, removed);
      }
    }
    task.payload.release();
    admission.released(client);
  }
}
