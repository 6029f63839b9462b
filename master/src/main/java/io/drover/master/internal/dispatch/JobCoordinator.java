package io.drover.master.internal.dispatch;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.frame.MalformedFrameException;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.JobRequestCodec;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scatter/gather jobs: turns a JOB request into subtasks that {@link Placement} places like
 * any task, gathers their outcomes into the {@link JobGather}, runs the reduce step, and answers the
 * client once every subtask has its outcome, or at the job's deadline, or when it is cancelled.
 *
 * <p>Runs on the dispatcher's event loop, like everything it touches.
 */
final class JobCoordinator {
  private static final Logger log = LoggerFactory.getLogger(JobCoordinator.class);

  /** Most subtasks in one job, whatever the queue bound. */
  static final int MAX_JOB_SUBTASKS = 100_000;
  /** Jobs accepted and not yet answered or dropped (for the metrics). */
  int jobsInProgress;
  /** Jobs answered, by status number (as {@link TaskStats#completed}). */
  final long[] jobsAnswered = new long[TaskStats.STATUS_SLOTS];

  private final EventLoop loop;
  private final Admission admission;
  private final TaskLedger ledger;
  private final Placement placement;
  private final WorkerPool pool;
  private JobRequestCodec request = new JobRequestCodec(MAX_JOB_SUBTASKS);
  private long maxGatheredBytes = FrameLimits.maxResultBytes(FrameLimits.DEFAULT_MAX_FRAME_BYTES);

  JobCoordinator(EventLoop loop, Admission admission, TaskLedger ledger, Placement placement, WorkerPool pool) {
    this.loop = loop;
    this.admission = admission;
    this.ledger = ledger;
    this.placement = placement;
    this.pool = pool;
  }

  /** A job may have no more subtasks than the queue holds (nor than {@link #MAX_JOB_SUBTASKS}). */
  void maxSubtasks(int maxQueuedTasks) {
    request = new JobRequestCodec(Math.min(MAX_JOB_SUBTASKS, maxQueuedTasks));
  }

  /**
   * The largest frame the master's peers accept, which bounds what a job gathers: its results,
   * or its reduce task's input, must fit in one frame.
   */
  void maxFrameBytes(int maxFrameBytes) {
    maxGatheredBytes = Math.max(1024, FrameLimits.maxResultBytes(maxFrameBytes));
  }

  /** A JOB frame, reader index at its JobRequest body; released here. */
  void accept(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
    try {
      start(client, header, frame);
    } finally {
      // Each placed subtask holds a slice of the frame of its own.
      frame.release();
    }
  }

  private void start(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
    long requestId = header.requestId();
    if (admission.isShuttingDown()) {
      client.sendError(requestId, Status.SHUTTING_DOWN_VALUE, "the master is shutting down", 0);
      return;
    }
    JobRequestCodec request = this.request;
    try {
      request.decode(frame);
    } catch (MalformedFrameException e) {
      log.debug("{}: refused job {}: its body is not a valid JobRequest: {}", client, requestId, e.getMessage());
      client.sendError(
          requestId, Status.INVALID_REQUEST_VALUE, "the JOB body is not a valid JobRequest: " + e.getMessage(), 0);
      return;
    }
    int n = request.count();
    TaskType reduceType = null;
    if (request.reduceTypeLength() > 0) {
      reduceType = pool.findType(frame, request.reduceTypeIndex(), request.reduceTypeLength());
      if (reduceType == null || reduceType.workers.isEmpty()) {
        String name = frame.toString(request.reduceTypeIndex(), request.reduceTypeLength(), StandardCharsets.UTF_8);
        int bytes = request.reduceTypeLength();
        client.sendError(
            requestId, ClientPort.typeStatus(bytes), "reduce_type: " + pool.typeProblem(name, bytes), 0);
        return;
      }
    }
    // Admitted whole or not at all, so that a job never half-runs for want of queue room.
    String refusal = admission.refusal(client, n, frame.readableBytes());
    if (refusal != null) {
      client.sendError(requestId, Status.OVERLOADED_VALUE, refusal + ": the job's " + n + " subtasks do not fit; retry later", 0);
      return;
    }
    JobGather job = new JobGather(client, requestId, n, request.stream(), reduceType, maxGatheredBytes);
    job.priority = WaitingTasks.of(header.priority());
    job.noRetry = header.noRetry();
    if (header.traceparentLength() != 0) {
      job.traceparent = ClientPort.traceparent(header, frame);
    }
    client.jobs.put(requestId, job);
    int timeoutMs = header.timeoutMs();
    if (timeoutMs != 0) {
      job.deadline =
          Deadline.after(loop, timeoutMs, "the job's deadline", why -> cutShort(job, Status.DEADLINE_EXCEEDED_VALUE, why));
    }
    int placed = createSubtasks(job, header, request, frame);
    admission.accepted(client, placed);
    jobsInProgress++;
    long now = client.out.turnNanos();
    for (Task task : job.tasks) {
      if (task != null) {
        task.sentAtNanos = now;
        placement.dispatch(task, now);
      }
    }
    advance(job);
  }

  /**
   * Creates a task for each subtask whose type some worker serves (its payload a slice of the
   * frame) and records the others' failure at once.
   *
   * @return the tasks created
   */
  private int createSubtasks(JobGather job, RequestHeaderCodec header, JobRequestCodec request, ByteBuf frame) {
    TaskType defaultType =
        header.taskTypeLength() == 0
            ? null
            : pool.findType(frame, header.taskTypeIndex(), header.taskTypeLength());
    int placed = 0;
    for (int i = 0; i < request.count(); i++) {
      int typeIndex = request.taskTypeIndex(i);
      int typeLength = request.taskTypeLength(i);
      TaskType type;
      if (typeLength > 0) {
        type = pool.findType(frame, typeIndex, typeLength);
      } else {
        typeIndex = header.taskTypeIndex();
        typeLength = header.taskTypeLength();
        type = defaultType;
      }
      if (type == null || type.workers.isEmpty()) {
        String name = frame.toString(typeIndex, typeLength, StandardCharsets.UTF_8);
        job.record(
            i, ClientPort.typeStatus(typeLength), ProtoWire.utf8(pool.typeProblem(name, typeLength)), null, 0);
        continue;
      }
      Task task =
          ledger.newTask(
              job.client, job.requestId, type, frame.retainedSlice(request.payloadIndex(i), request.payloadLength(i)));
      task.job = job;
      task.jobIndex = i;
      task.noRetry = job.noRetry;
      task.priority = job.priority;
      if (job.traceparent.length != 0) {
        task.extras().traceparent = job.traceparent;
      }
      if (request.routingKeyLength(i) > 0) {
        task.routingHash = RoutingKeys.hash(frame, request.routingKeyIndex(i), request.routingKeyLength(i));
      }
      job.tasks[i] = task;
      placed++;
    }
    return placed;
  }

  /** Records the outcome of a task of a job (a subtask or the reduce task) and moves the job on. */
  void record(Task task, int status, byte[] message, ByteBuf body) {
    JobGather job = task.job;
    task.answered = true;
    if (task.jobIndex == JobGather.REDUCE) {
      job.recordReduce(status, message, body, task.attempts);
    } else {
      job.record(task.jobIndex, status, message, body, task.attempts);
    }
    advance(job);
  }

  /** Starts the reduce step or answers the job, once every subtask has its outcome. */
  private void advance(JobGather job) {
    if (job.finished || !job.gathered()) {
      return;
    }
    if (!job.client.open) {
      forget(job);
      return;
    }
    if (job.readyToReduce()) {
      startReduce(job);
    } else if (job.reduceTask == null || job.reduced()) {
      finish(job);
    }
  }

  private void startReduce(JobGather job) {
    ClientSession client = job.client;
    Task task = ledger.newTask(client, job.requestId, job.reduceType, job.reduceInput(client.channel.alloc()));
    task.job = job;
    task.jobIndex = JobGather.REDUCE;
    task.priority = job.priority;
    task.noRetry = job.noRetry;
    if (job.traceparent.length != 0) {
      task.extras().traceparent = job.traceparent;
    }
    job.reduceTask = task;
    admission.accepted(client, 1);
    if (job.reduceType.workers.isEmpty()) {
      record(
          task,
          Status.UNKNOWN_TASK_TYPE_VALUE,
          ProtoWire.utf8("no worker serves the reduce task type '" + job.reduceType.name + "' any more"),
          null);
      ledger.complete(task);
    } else {
      long now = client.out.turnNanos();
      task.sentAtNanos = now;
      placement.dispatch(task, now);
    }
  }

  private void finish(JobGather job) {
    forget(job);
    ClientSession client = job.client;
    int status = job.finalStatus();
    String message = FrameLimits.shortenMessage(job.finalMessage());
    jobsAnswered[TaskStats.statusSlot(status)]++;
    if (status != Status.OK_VALUE) {
      log.debug("{} answered {}: {}", job, Status.forNumber(status), message);
    }
    client.sendResponse(job.requestId, status, message, 0, job.finalBody(client.channel.alloc()));
  }

  private void forget(JobGather job) {
    if (!job.finished) {
      jobsInProgress--;
    }
    job.finished = true;
    if (job.deadline != null) {
      job.deadline.cancel(false);
    }
    if (job.client.jobs.get(job.requestId) == job) {
      job.client.jobs.remove(job.requestId);
    }
  }

  /** Ends a job early (deadline, cancel): every subtask without an outcome gets {@code status}. */
  void cutShort(JobGather job, int status, String message) {
    if (job.finished) {
      return;
    }
    job.cutShort(status, message);
    for (int i = 0; i < job.tasks.length && !job.finished; i++) {
      Task task = job.tasks[i];
      if (task != null && !job.isDone(i)) {
        ledger.abandon(task, status, message);
      }
    }
    if (job.reduceTask != null && !job.reduced()) {
      ledger.abandon(job.reduceTask, status, message);
    }
    advance(job);
  }

  /** The client is gone: its jobs are dropped and their running tasks stopped on the workers. */
  void clientDisconnected(ClientSession client) {
    for (JobGather job : new ArrayList<>(client.jobs.values())) {
      forget(job);
      for (Task task : job.tasks) {
        ledger.forget(task);
      }
      ledger.forget(job.reduceTask);
    }
  }
}
