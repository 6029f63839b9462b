package io.drover.master.dispatch;

import io.drover.master.schedule.Scheduler;
import io.drover.master.transport.ClientFrameListener;
import io.drover.master.transport.OutboundBatch;
import io.drover.master.transport.WorkerFrameListener;
import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every accepted task: places it on a worker chosen by the {@link Scheduler} or queues it
 * while all suitable workers are full, routes each result back to the connection that asked, and
 * re-dispatches the tasks of a worker that dies.
 *
 * <p>Runs entirely on one event loop (the one serving all connections); every method must be
 * called there.
 */
public final class Dispatcher
    implements ClientFrameListener<ClientSession>,
        WorkerFrameListener<WorkerSession>,
        io.drover.master.supervise.WorkerConnections {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final EventLoop loop;
  private final Scheduler scheduler;
  private final WorkerRegistry registry;
  private final int inFlightCapPerWorker;
  private final int maxAttempts;
  private long maxTasksPerWorker;
  private final java.util.SplittableRandom random = new java.util.SplittableRandom();
  private final TaskTypeTable types = new TaskTypeTable();
  private final List<WorkerSession> workers = new ArrayList<>();
  private long nextTaskId = 1;
  private int queued;
  private long queuedBytes;
  private int maxQueuedTasks = 100_000;
  private long maxQueuedBytes = 256L * 1024 * 1024;
  private int maxInFlightPerConnection = 10_000;
  private long overloadLoggedAtNanos;
  /** QueueFullPolicy.PAUSE: a full queue pauses the sender instead of refusing its task. */
  private boolean pauseWhenQueueFull;
  /** Connections paused because the queue was full, resumed together once it drains. */
  private final List<ClientSession> pausedForQueue = new ArrayList<>();
  /**
   * Tasks about to get their last attempt after surviving worker crashes. Each runs alone on a
   * worker, one at a time, so that a poison task that kills its worker takes no other task's
   * last attempt with it.
   */
  private final java.util.ArrayDeque<Task> lastChance = new java.util.ArrayDeque<>();
  private WorkerSession reservedWorker;
  private boolean shuttingDown;
  private final JobCoordinator jobs;

  /**
   * Creates the dispatcher.
   *
   * @param loop the event loop it runs on
   * @param inFlightCapPerWorker the most tasks any worker may hold
   * @param maxAttempts dispatches per task before a worker crash fails it
   */
  public Dispatcher(
      EventLoop loop,
      Scheduler scheduler,
      WorkerRegistry registry,
      int inFlightCapPerWorker,
      int maxAttempts) {
    this.loop = loop;
    this.scheduler = scheduler;
    this.registry = registry;
    this.inFlightCapPerWorker = inFlightCapPerWorker;
    this.maxAttempts = maxAttempts;
    this.jobs = new JobCoordinator(this, loop);
    jobs.maxSubtasks(maxQueuedTasks);
  }

  /**
   * Asks for a worker to be recycled after about {@code maxTasks} results (each worker's limit is
   * drawn up to 10% higher, so workers started together do not recycle together); 0 disables.
   */
  public void recycleAfterTasks(long maxTasks) {
    this.maxTasksPerWorker = maxTasks;
  }

  /**
   * Bounds the tasks waiting in the master: beyond {@code maxQueuedTasks} tasks or {@code
   * maxQueuedBytes} of payload, new tasks that find no worker with room are answered {@code
   * OVERLOADED} at once; a connection with {@code maxInFlightPerConnection} tasks accepted and
   * unanswered is not read from until half of them are answered.
   */
  public void limits(int maxQueuedTasks, long maxQueuedBytes, int maxInFlightPerConnection) {
    this.maxQueuedTasks = maxQueuedTasks;
    this.maxQueuedBytes = maxQueuedBytes;
    this.maxInFlightPerConnection = maxInFlightPerConnection;
    jobs.maxSubtasks(maxQueuedTasks);
  }

  /**
   * The largest frame the master's peers accept, which bounds what a job gathers: its results,
   * or its reduce task's input, must fit in one frame.
   */
  public void maxFrameBytes(int maxFrameBytes) {
    jobs.maxFrameBytes(maxFrameBytes);
  }

  /**
   * With {@code true}, a task that finds the queue at its bound is queued all the same and its
   * connection is not read from until the queue has drained to 90% of its bound.
   */
  public void pauseWhenQueueFull(boolean pause) {
    this.pauseWhenQueueFull = pause;
  }

  /** The event loop this dispatcher runs on. */
  public EventLoop loop() {
    return loop;
  }

  // ---- clients ----

  @Override
  public ClientSession clientConnected(Channel channel, OutboundBatch out) {
    return new ClientSession(channel, out);
  }

  @Override
  public void submit(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
    long requestId = header.requestId();
    if (shuttingDown) {
      frame.release();
      client.sendError(requestId, Status.SHUTTING_DOWN_VALUE, "the master is shutting down", 0);
      return;
    }
    int typeLength = header.taskTypeLength();
    TaskType type = types.find(frame, header.taskTypeIndex(), typeLength);
    if (type == null || type.workers.isEmpty()) {
      String name = frame.toString(header.taskTypeIndex(), typeLength, StandardCharsets.UTF_8);
      frame.release();
      rejectType(client, requestId, name, typeLength);
      return;
    }
    Task task = new Task(nextTaskId++, client, requestId, type, frame);
    task.noRetry = header.noRetry();
    task.priority = WaitingTasks.of(header.priority());
    client.tasks.put(requestId, task);
    int timeoutMs = header.timeoutMs();
    if (timeoutMs != 0) {
      long ms = Integer.toUnsignedLong(timeoutMs);
      task.deadline =
          loop.schedule(
              () -> abandon(task, Status.DEADLINE_EXCEEDED_VALUE, "deadline of " + ms + " ms passed"),
              ms,
              java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    if (header.routingKeyLength() > 0) {
      task.routingHash = routingHash(frame, header.routingKeyIndex(), header.routingKeyLength());
    }
    accepted(client, 1);
    dispatch(task);
  }

  @Override
  public void writabilityChanged(ClientSession client) {
    client.updateReading();
  }

  private void rejectType(ClientSession client, long requestId, String name, int typeBytes) {
    log.debug("{}: unknown task type '{}'", client, name);
    client.sendError(requestId, typeStatus(typeBytes), typeProblem(name, typeBytes), 0);
  }

  /** Why a task type that no worker serves is refused: INVALID_REQUEST or UNKNOWN_TASK_TYPE. */
  static int typeStatus(int typeBytes) {
    return typeBytes == 0 || typeBytes > FrameLimits.MAX_TASK_TYPE_BYTES
        ? Status.INVALID_REQUEST_VALUE
        : Status.UNKNOWN_TASK_TYPE_VALUE;
  }

  String typeProblem(String name, int typeBytes) {
    if (typeBytes == 0) {
      return "task_type is empty";
    } else if (typeBytes > FrameLimits.MAX_TASK_TYPE_BYTES) {
      return "task_type is " + typeBytes + " bytes (max " + FrameLimits.MAX_TASK_TYPE_BYTES + ")";
    }
    return "no worker serves task type '" + name + "' (served: " + types.servedNames() + ")";
  }

  // ---- jobs ----

  @Override
  public void job(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
    jobs.accept(client, header, frame);
  }

  @Override
  public void cancel(ClientSession client, long requestId) {
    Task task = client.tasks.get(requestId);
    if (task != null) {
      abandon(task, Status.CANCELLED_VALUE, "cancelled by the client");
      return;
    }
    Job job = client.jobs.get(requestId);
    if (job != null) {
      jobs.cutShort(job, Status.CANCELLED_VALUE, "cancelled by the client");
    }
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
    if (task.worker != null) {
      task.worker.link.sendCancel(task.id);
    }
    answerError(task, status, message);
  }

  /** Answers a task with a status and no result: to its client, or into its job. */
  private void answerError(Task task, int status, String message) {
    if (task.job == null) {
      task.answered = true;
      task.client.sendError(task.requestId, status, message, task.attempts);
    } else {
      jobs.record(task, status, ProtoWire.utf8(message), null);
    }
  }

  @Override
  public void ping(ClientSession client, long requestId) {
    client.sendError(requestId, Status.OK_VALUE, "", 0);
  }

  @Override
  public void clientDisconnected(ClientSession client) {
    client.open = false;
    pausedForQueue.remove(client);
    for (TaskType type : types.all()) {
      type.waiting.forget(client);
    }
    // Nobody will read these results: stop the work on the workers now.
    for (Task task : client.tasks.values()) {
      stopAbandoned(task);
    }
    jobs.clientDisconnected(client);
    if (client.inFlight > 0) {
      log.info("{} disconnected with {} tasks in flight; their results will be dropped", client, client.inFlight);
    }
  }

  /** Marks a task answered (its client is gone) and tells its worker, if any, to stop it. */
  static void stopAbandoned(Task task) {
    if (task != null && !task.answered) {
      task.answered = true;
      if (task.worker != null) {
        task.worker.link.sendCancel(task.id);
      }
    }
  }

  // ---- workers ----

  @Override
  public WorkerSession workerConnected(Channel channel, OutboundBatch out, long peerPid) {
    return new WorkerSession(new SocketWorkerLink(out), peerPid, scheduler.usesServiceTime());
  }

  /**
   * A worker reached through {@code link} rather than a socket (inline mode); it still has to
   * register like any other.
   */
  public WorkerSession workerAttached(WorkerLink link) {
    return new WorkerSession(link, -1, scheduler.usesServiceTime());
  }

  @Override
  public String registered(WorkerSession worker, Registration r) {
    if (worker.peerPid >= 0 && r.getPid() != worker.peerPid) {
      return "it claims pid " + r.getPid() + " but its socket belongs to pid " + worker.peerPid;
    }
    if (r.getCapacity() <= 0) {
      return "capacity " + r.getCapacity() + " (expected: > 0)";
    }
    for (String name : r.getTaskTypesList()) {
      int bytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0 || bytes > FrameLimits.MAX_TASK_TYPE_BYTES) {
        return "task type '" + name + "' must be 1.." + FrameLimits.MAX_TASK_TYPE_BYTES + " bytes";
      }
    }
    String refusal = registry.registered(r.getWorkerId(), r.getPid(), r.getCapacity(), r.getTaskTypesList());
    if (refusal != null) {
      return refusal;
    }
    worker.workerId = r.getWorkerId();
    worker.pid = r.getPid();
    worker.capacity = r.getCapacity();
    worker.inFlightCap = Math.max(r.getCapacity(), inFlightCapPerWorker);
    worker.types =
        r.getTaskTypesList().stream().distinct().map(types::getOrCreate).toArray(TaskType[]::new);
    for (TaskType t : worker.types) {
      t.workers.add(worker);
    }
    worker.accepting = true;
    if (maxTasksPerWorker > 0) {
      worker.recycleAfter = maxTasksPerWorker + random.nextLong(maxTasksPerWorker / 10 + 1);
    }
    workers.add(worker);
    log.info("{} ready: capacity {}, serves {}", worker, worker.capacity, r.getTaskTypesList());
    isolate();
    fill(worker);
    return null;
  }

  @Override
  public void result(WorkerSession worker, WorkerEventCodec header, ByteBuf frame) {
    try {
      Task task = worker.inFlight.remove(header.taskId());
      if (task == null) {
        log.warn("{} sent a result for unknown task {}; ignored", worker, header.taskId());
        return;
      }
      task.worker = null;
      if (worker.isolated == task) {
        worker.isolated = null;
      }
      if (task.answered) {
        // Answered already (deadline passed, cancelled): the result is dropped.
        worker.completed++;
        complete(task);
      } else if (header.status() == Status.SHUTTING_DOWN_VALUE) {
        // The worker was draining and never ran it: place it again without counting an attempt.
        task.attempts--;
        worker.accepting = false;
        redispatch(task);
        return;
      } else {
        worker.completed++;
        if (worker.timed) {
          worker.recordServiceTime(System.nanoTime() - task.sentAtNanos);
        }
        if (task.job == null) {
          task.client.sendResult(
              task, header.status(), frame, header.messageIndex(), header.messageLength(), frame);
        } else {
          byte[] message =
              header.messageLength() == 0
                  ? ProtoWire.EMPTY
                  : io.netty.buffer.ByteBufUtil.getBytes(frame, header.messageIndex(), header.messageLength());
          jobs.record(task, header.status(), message, frame);
        }
        complete(task);
      }
    } finally {
      frame.release();
    }
    if (worker.completed >= worker.recycleAfter && !worker.recycleRequested) {
      worker.recycleRequested = true;
      registry.recycle(worker.workerId, worker.pid, "served " + worker.completed + " tasks");
    }
    if (worker == reservedWorker) {
      isolate();
    }
    fill(worker);
  }

  /** A 64-bit hash of a routing key's bytes (FNV-1a, then mixed); never 0. */
  static long routingHash(ByteBuf buf, int index, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < length; i++) {
      h = (h ^ (buf.getByte(index + i) & 0xFF)) * 0x100000001b3L;
    }
    h = io.drover.master.schedule.ConsistentHashScheduler.mix(h);
    return h == 0 ? 1 : h;
  }

  private void redispatch(Task task) {
    WorkerSession other = scheduler.pick(task.type.workers, task.routingHash);
    if (other != null) {
      other.send(task);
    } else {
      enqueueFirst(task);
    }
  }

  @Override
  public void heartbeat(WorkerSession worker, ByteBuf body) {
    io.drover.protocol.proto.Heartbeat heartbeat;
    try {
      heartbeat =
          io.drover.protocol.proto.Heartbeat.parseFrom(
              io.netty.buffer.ByteBufUtil.getBytes(body, body.readerIndex(), body.readableBytes(), false));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      log.warn("{} sent a malformed heartbeat: {}", worker, e.getMessage());
      return;
    }
    worker.lastHeartbeat = heartbeat;
    registry.heartbeat(worker.workerId, worker.pid, heartbeat);
  }

  @Override
  public void draining(WorkerSession worker) {
    log.info("{} is draining by itself; sending it no more tasks", worker);
    worker.accepting = false;
    registry.draining(worker.workerId, worker.pid);
  }

  @Override
  public void disconnect(long pid) {
    loop.execute(
        () -> {
          for (WorkerSession w : workers) {
            if (w.pid == pid) {
              w.accepting = false;
              w.link.close();
            }
          }
        });
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public void drain(long pid) {
    loop.execute(
        () -> {
          for (WorkerSession w : workers) {
            if (w.pid == pid && w.accepting) {
              w.accepting = false;
              w.sendDrain();
            }
          }
        });
  }

  @Override
  public void workerDisconnected(WorkerSession worker) {
    worker.accepting = false;
    if (worker.workerId < 0) {
      return;
    }
    workers.remove(worker);
    for (TaskType t : worker.types) {
      t.workers.remove(worker);
    }
    if (worker == reservedWorker) {
      reservedWorker = null;
    }
    registry.disconnected(worker.workerId, worker.pid);
    if (!worker.inFlight.isEmpty()) {
      log.warn("{} disconnected with {} tasks in flight; re-dispatching them", worker, worker.inFlight.size());
      List<Task> orphans = new ArrayList<>(worker.inFlight.values());
      worker.inFlight.clear();
      orphans.sort((a, b) -> Long.compare(a.id, b.id));
      List<Task> unplaced = new ArrayList<>();
      for (Task task : orphans) {
        retryOrFail(task, worker, unplaced);
      }
      // Retries go ahead of tasks that came after them, oldest first.
      for (int i = unplaced.size() - 1; i >= 0; i--) {
        enqueueFirst(unplaced.get(i));
      }
    }
    isolate();
  }

  /**
   * Runs the next last-chance task alone: reserves a worker (no new tasks go to it), waits for it
   * to finish what it holds, sends it the one task, and lets it take tasks again when no
   * last-chance task is left.
   */
  private void isolate() {
    while (!lastChance.isEmpty()) {
      Task next = lastChance.peek();
      if (!next.client.open || next.answered) {
        lastChance.poll();
        complete(next);
        continue;
      }
      WorkerSession w = reservedWorker;
      if (w != null && !serves(w, next.type)) {
        releaseReservation();
        w = null;
      }
      if (w == null) {
        w = leastLoaded(next.type);
        if (w == null) {
          return;
        }
        w.reserved = true;
        reservedWorker = w;
      }
      if (w.isolated != null || w.outstanding() > 0) {
        return;
      }
      lastChance.poll();
      log.info("task {} gets its last attempt alone on {}, so a poison task cannot take others with it", next.id, w);
      w.isolated = next;
      w.send(next);
      return;
    }
    if (reservedWorker != null && reservedWorker.isolated == null) {
      releaseReservation();
    }
  }

  private void releaseReservation() {
    WorkerSession w = reservedWorker;
    reservedWorker = null;
    w.reserved = false;
    fill(w);
  }

  private static boolean serves(WorkerSession w, TaskType type) {
    for (TaskType t : w.types) {
      if (t == type) {
        return true;
      }
    }
    return false;
  }

  private static WorkerSession leastLoaded(TaskType type) {
    WorkerSession best = null;
    for (WorkerSession w : type.workers) {
      if (w.accepting && !w.reserved && (best == null || w.outstanding() < best.outstanding())) {
        best = w;
      }
    }
    return best;
  }

  private void retryOrFail(Task task, WorkerSession lost, List<Task> unplaced) {
    task.worker = null;
    if (!task.client.open || task.answered) {
      complete(task);
    } else if (task.noRetry || task.attempts >= maxAttempts) {
      String why =
          task.noRetry
              ? lost + " died while running this task, which is marked not safe to retry"
              : lost + " died while running this task, after " + task.attempts + " attempts";
      answerError(task, Status.WORKER_CRASHED_VALUE, why);
      complete(task);
    } else if (maxAttempts > 1 && task.attempts == maxAttempts - 1) {
      lastChance.add(task);
    } else {
      WorkerSession worker = scheduler.pick(task.type.workers, task.routingHash);
      if (worker != null) {
        worker.send(task);
      } else {
        unplaced.add(task);
      }
    }
  }

  // ---- placement ----

  /**
   * Sends a new task to a worker, or queues it while none has room, or answers {@code OVERLOADED}
   * when the queue is at its bound.
   */
  void dispatch(Task task) {
    WorkerSession worker = scheduler.pick(task.type.workers, task.routingHash);
    if (worker != null) {
      worker.send(task);
      return;
    }
    if (!queueHasRoom(1, task.payload.readableBytes())) {
      if (pauseWhenQueueFull) {
        pauseForQueue(task.client);
      } else if (task.job == null) {
        // (A job's subtasks were admitted together when the job was.)
        overloaded(task);
        return;
      }
    }
    task.type.waiting.addLast(task);
    queued++;
    queuedBytes += task.payload.readableBytes();
  }

  private void overloaded(Task task) {
    long now = System.nanoTime();
    if (now - overloadLoggedAtNanos > 1_000_000_000L) {
      overloadLoggedAtNanos = now;
      log.warn(
          "queue full ({} tasks, {} bytes waiting): answering new tasks OVERLOADED", queued, queuedBytes);
    }
    task.client.sendError(
        task.requestId,
        Status.OVERLOADED_VALUE,
        "the master's queue is full (" + queued + " tasks, " + queuedBytes + " bytes waiting); retry later",
        0);
    complete(task);
  }

  private void pauseForQueue(ClientSession client) {
    if (!client.pausedForQueue) {
      if (pausedForQueue.isEmpty()) {
        log.info("queue full ({} tasks, {} bytes waiting): pausing the connections that send more", queued, queuedBytes);
      }
      client.pausedForQueue = true;
      pausedForQueue.add(client);
      client.updateReading();
    }
  }

  /** Resumes the paused connections once the queue is below 90% of its bounds. */
  private void resumeIfDrained() {
    if (queued <= maxQueuedTasks - maxQueuedTasks / 10 && queuedBytes <= maxQueuedBytes - maxQueuedBytes / 10) {
      for (ClientSession c : pausedForQueue) {
        c.pausedForQueue = false;
        c.updateReading();
      }
      pausedForQueue.clear();
    }
  }

  /** Queues a task that was already placed once, ahead of newer ones; never refused. */
  private void enqueueFirst(Task task) {
    task.type.waiting.addFirst(task);
    queued++;
    queuedBytes += task.payload.readableBytes();
  }

  /** Gives {@code worker} waiting tasks until it is full or none is left for it. */
  private void fill(WorkerSession worker) {
    while (queued > 0 && worker.hasRoom()) {
      TaskType type = worker.nextTypeWithWaiting();
      if (type == null) {
        return;
      }
      Task task = type.waiting.poll();
      queued--;
      queuedBytes -= task.payload.readableBytes();
      if (task.client.open && !task.answered) {
        worker.send(task);
      } else {
        complete(task);
      }
    }
    if (!pausedForQueue.isEmpty()) {
      resumeIfDrained();
    }
  }

  void complete(Task task) {
    task.completed = true;
    ClientSession client = task.client;
    client.inFlight--;
    if (task.deadline != null) {
      task.deadline.cancel(false);
    }
    if (task.job == null) {
      Task removed = client.tasks.remove(task.requestId);
      if (removed != task && removed != null) {
        // The client reused the request id while this task was still running: keep the newer.
        client.tasks.put(task.requestId, removed);
      }
    }
    task.payload.release();
    if (client.pausedForInFlight && client.inFlight <= maxInFlightPerConnection / 2) {
      client.pausedForInFlight = false;
      client.updateReading();
    }
  }

  // ---- for the job coordinator ----

  boolean isShuttingDown() {
    return shuttingDown;
  }

  /** The task type named by those bytes, or null when none is known. */
  TaskType findType(ByteBuf buf, int index, int length) {
    return types.find(buf, index, length);
  }

  /**
   * Null when the queue could take {@code tasks} more tasks and {@code bytes} more payload (what a
   * job needs to be admitted), else why not; under QueueFullPolicy.PAUSE always null, and the
   * client is paused when they do not fit.
   */
  String queueRefusal(ClientSession client, int tasks, long bytes) {
    if (queueHasRoom(tasks, bytes)) {
      return null;
    }
    if (pauseWhenQueueFull) {
      pauseForQueue(client);
      return null;
    }
    return "the master's queue has no room for " + tasks + " more tasks (" + queued + " of "
        + maxQueuedTasks + " tasks, " + queuedBytes + " of " + maxQueuedBytes + " bytes waiting)";
  }

  private boolean queueHasRoom(int tasks, long bytes) {
    return queued + tasks <= maxQueuedTasks && queuedBytes + bytes <= maxQueuedBytes;
  }

  /** A new task, with the next task id; its client's in-flight count is not touched. */
  Task newTask(ClientSession client, long requestId, TaskType type, ByteBuf payload) {
    return new Task(nextTaskId++, client, requestId, type, payload);
  }

  /** Counts {@code n} more tasks in flight on {@code client}, pausing its reading at the limit. */
  void accepted(ClientSession client, int n) {
    client.inFlight += n;
    if (client.inFlight >= maxInFlightPerConnection && !client.pausedForInFlight) {
      client.pausedForInFlight = true;
      client.updateReading();
    }
  }

  // ---- lifecycle and status ----

  /** Refuses new tasks with {@code SHUTTING_DOWN} from now on. */
  public void beginShutdown() {
    shuttingDown = true;
  }

  /** Tasks accepted and not yet answered, queued or on a worker. */
  public int tasksInProgress() {
    int n = queued + lastChance.size();
    for (WorkerSession w : workers) {
      n += w.outstanding();
    }
    return n;
  }

  /** Tasks waiting in the master for a worker. */
  public int queued() {
    return queued;
  }

  /** The registered workers now. */
  public List<WorkerSnapshot> workers() {
    List<WorkerSnapshot> out = new ArrayList<>(workers.size());
    for (WorkerSession w : workers) {
      List<String> names = new ArrayList<>();
      for (TaskType t : w.types) {
        names.add(t.name);
      }
      out.add(new WorkerSnapshot(w.workerId, w.pid, w.capacity, w.outstanding(), w.completed, names));
    }
    return out;
  }

  /** Asks every worker to finish its tasks and exit. */
  public void drainWorkers() {
    for (WorkerSession w : workers) {
      w.accepting = false;
      w.sendDrain();
    }
  }
}
