package io.drover.master.internal.dispatch;

import io.drover.master.config.InFlightLimit;
import io.drover.master.status.WorkerSnapshot;

import io.drover.master.internal.schedule.Scheduler;
import io.drover.master.internal.transport.ClientFrameListener;
import io.drover.master.internal.transport.WorkerFrameListener;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The task table and everything that changes it, put together: owns every accepted task from its
 * request until its answer. Built from small parts with one job each —
 *
 * <ul>
 *   <li>{@link ClientPort} and {@link WorkerPort}: what connections deliver (the listeners the
 *       transport calls);
 *   <li>{@link Admission}: shutting down, queue bounds, pausing connections;
 *   <li>{@link TaskLedger}: task ids, deadlines, early answers, completion;
 *   <li>{@link Placement}: scheduler, waiting queues, refilling workers;
 *   <li>{@link CrashRetries}: a dead worker's tasks, and isolated last attempts;
 *   <li>{@link WorkerPool}: registration, task types, recycling, drain and disconnect;
 *   <li>{@link JobCoordinator}: scatter/gather jobs.
 * </ul>
 *
 * <p>Everything runs on one event loop (the one serving all connections): every method must be
 * called there, except where it says otherwise.
 */
public final class Dispatcher {
  private final EventLoop loop;
  private final Admission admission = new Admission();
  private final WorkerPool pool;
  private final TaskLedger ledger;
  private final Placement placement;
  private final CrashRetries retries;
  private final JobCoordinator jobs;
  private final ClientPort clients;
  private final WorkerPort workers;
  private io.drover.master.internal.shm.PayloadRegion payloadRegion;

  /**
   * Creates the dispatcher.
   *
   * @param loop the event loop it runs on
   * @param registry what it tells the supervisor about worker connections
   * @param inFlightLimit how many tasks a worker may hold
   * @param maxAttempts dispatches per task before a worker crash fails it
   */
  public Dispatcher(
      EventLoop loop, Scheduler scheduler, WorkerRegistry registry, InFlightLimit inFlightLimit, int maxAttempts) {
    this.loop = loop;
    this.pool = new WorkerPool(registry, inFlightLimit);
    this.ledger = new TaskLedger(loop, admission, pool);
    this.placement = new Placement(scheduler, admission, ledger);
    this.retries = new CrashRetries(maxAttempts, admission, placement, ledger);
    this.jobs = new JobCoordinator(loop, admission, ledger, placement, pool);
    ledger.jobs(jobs);
    jobs.maxSubtasks(admission.maxQueuedTasks());
    this.clients = new ClientPort(loop, admission, ledger, placement, pool, jobs);
    this.workers = new WorkerPort(registry, pool, ledger, placement, retries, jobs);
  }

  /**
   * Copies the payloads of tasks still waiting in the master out of the buffers their frames were
   * read into ({@link Admission#compact}); the master calls it on the dispatch loop once a
   * second. Costs a pass over the queues, nothing on the task path.
   *
   * @return how many it copied
   */
  public int compactWaitingPayloads() {
    int[] copied = {0};
    for (TaskType type : pool.types()) {
      type.waiting.forEach(t -> {
        if (Admission.compact(t)) {
          copied[0]++;
        }
      });
    }
    return copied[0];
  }

  /** What client connections deliver; the transport calls it. */
  public ClientFrameListener<ClientSession> clientPort() {
    return clients;
  }

  /** What worker connections deliver; the transport calls it. */
  public WorkerFrameListener<WorkerSession> workerPort() {
    return workers;
  }

  /**
   * Sends payloads of at least {@code region.thresholdBytes()} through {@code region} to the
   * workers that register from now on and offer shared memory; call before workers connect.
   */
  public void payloadRegion(io.drover.master.internal.shm.PayloadRegion region) {
    workers.payloadRegion(region);
    this.payloadRegion = region;
  }

  /** The shared payload region, or null when shared memory is off. */
  public io.drover.master.internal.shm.PayloadRegion payloadRegion() {
    return payloadRegion;
  }

  /** The payload region's figures now, or null when shared memory is off; on the dispatch loop. */
  public io.drover.master.status.SharedMemorySnapshot sharedMemory() {
    return payloadRegion == null ? null : payloadRegion.snapshot();
  }

  /** The event loop this dispatcher runs on. */
  public EventLoop loop() {
    return loop;
  }

  /**
   * The pool's load, for autoscaling.
   *
   * @param ready workers registered and accepting tasks
   * @param capacity the sum of their capacities
   * @param inFlight tasks on them
   * @param queued tasks waiting in the master
   * @param cpuShare the sum of their last heartbeats' CPU use, each a fraction of all cores
   */
  public record PoolLoad(int ready, long capacity, long inFlight, int queued, double cpuShare) {}

  /** The pool's load now. On the dispatch loop; a few reads per worker, nothing per task. */
  public PoolLoad poolLoad() {
    int ready = 0;
    long capacity = 0;
    long inFlight = 0;
    double cpu = 0;
    for (WorkerSession w : pool.all()) {
      if (w.accepting) {
        ready++;
        capacity += w.capacity;
        inFlight += w.outstanding();
        cpu += w.lastHeartbeat == null ? 0 : w.lastHeartbeat.getCpuLoad();
      }
    }
    return new PoolLoad(ready, capacity, inFlight, admission.queued(), cpu);
  }

  // ---- settings (before the first connection, or on the loop to change them live) ----

  /**
   * Chooses workers with {@code scheduler} from now on. On the dispatch loop (a reload); tasks
   * already placed stay where they are.
   */
  public void scheduler(Scheduler scheduler) {
    placement.scheduler(scheduler, pool.all());
  }

  /**
   * How many tasks a worker may hold, from now on. On the dispatch loop; a raise fills the
   * workers from the queues at once, a cut lets them hold more until they finish it.
   */
  public void inFlightLimit(InFlightLimit limit) {
    pool.inFlightLimit(limit);
    for (WorkerSession w : pool.all()) {
      placement.fill(w);
    }
  }

  /** Dispatches per task before a worker crash fails it, from now on. On the dispatch loop. */
  public void maxAttempts(int maxAttempts) {
    retries.maxAttempts(maxAttempts);
  }

  /**
   * Asks for a worker to be recycled after about {@code maxTasks} results (each worker's limit is
   * drawn up to 10% higher, so workers started together do not recycle together); 0 disables.
   */
  public void recycleAfterTasks(long maxTasks) {
    pool.recycleAfterTasks(maxTasks);
  }

  /**
   * Bounds the tasks waiting in the master: beyond {@code maxQueuedTasks} tasks or {@code
   * maxQueuedBytes} of payload, new tasks that find no worker with room are answered {@code
   * OVERLOADED} at once; a connection with {@code maxInFlightPerConnection} tasks accepted and
   * unanswered is not read from until half of them are answered.
   */
  public void limits(int maxQueuedTasks, long maxQueuedBytes, int maxInFlightPerConnection) {
    admission.limits(maxQueuedTasks, maxQueuedBytes, maxInFlightPerConnection);
    jobs.maxSubtasks(maxQueuedTasks);
    admission.afterDequeue(); // raised live: connections paused for a full queue may go on
  }

  /**
   * The client port's tenants, from now on: at start, before the first connection, and on a
   * reload (on the dispatch loop). New connections and AUTH frames use the new tokens; open
   * connections keep their tenant, with its new limits.
   */
  public void tenants(io.drover.master.config.AuthSettings auth) {
    clients.tenants.apply(auth);
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
    admission.pauseWhenQueueFull(pause);
  }

  /**
   * How long a task's handler may run on after the task was cancelled or its deadline passed
   * before its worker counts as stuck and is recycled; 0 waits for ever.
   */
  public void cancelGraceMillis(long millis) {
    ledger.cancelGrace(millis);
  }

  /**
   * Where the workers' handlers come from, for the log line that names the task types they serve
   * ({@code "from --worker-classpath my-handlers.jar"}).
   */
  public void handlerSource(String description) {
    pool.handlerSource(description);
  }

  // ---- asked by the supervisor (any thread) ----

  /** Drops the connection of the worker with {@code pid} (it is being killed). Any thread. */
  public void disconnect(long pid) {
    loop.execute(() -> pool.disconnect(pid));
  }

  /** Runs {@code task} on the dispatch loop. Any thread. */
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /** Asks the worker with {@code pid} to finish its tasks and exit. Any thread. */
  public void drain(long pid) {
    loop.execute(() -> pool.drain(pid));
  }

  // ---- lifecycle and status ----

  /**
   * A worker reached through {@code link} rather than a socket (inline mode); it still has to
   * register through {@link #workerPort()} like any other.
   */
  public WorkerSession workerAttached(WorkerLink link) {
    return workers.attached(link, -1);
  }

  /**
   * Refuses new tasks with {@code SHUTTING_DOWN} from now on. No worker is started during
   * shutdown, so tasks waiting for a type no worker serves are answered now, and so are those
   * whose last worker goes away later ({@link TaskLedger#answerNoWorkerLeft}).
   */
  public void beginShutdown() {
    admission.beginShutdown();
    retries.answerStranded(pool.types());
  }

  /**
   * Tells every client connection, open now or accepted later, that it takes no new requests (a
   * GOAWAY with {@code reason}, e.g. "the master is being upgraded"): requests that arrive on it
   * afterwards are answered {@code SHUTTING_DOWN} without running, tasks accepted before it are
   * answered as usual, and the connection is closed once it holds nothing and a short grace has
   * passed. Call it after the master stops accepting connections. Idempotent (the first reason
   * stays); any thread, the work is done on the dispatch loop.
   */
  public void goAway(String reason) {
    java.util.Objects.requireNonNull(reason, "reason");
    if (loop.inEventLoop()) {
      clients.goAway.begin(reason);
    } else {
      loop.execute(() -> clients.goAway.begin(reason));
    }
  }

  /** Tasks accepted and not yet answered, queued or on a worker. */
  public int tasksInProgress() {
    return admission.queued() + pool.outstanding();
  }

  /** Tasks waiting in the master for a worker (including those waiting for an isolated attempt). */
  public int queued() {
    return admission.queued();
  }

  /** A copy of the counters the metrics show, taken now; on the dispatch loop. */
  public DispatchMetrics metricsNow() {
    return DispatchMetrics.of(pool, admission, clients, jobs, payloadRegion);
  }

  /**
   * A copy of the counters the metrics show, taken on the dispatch loop with an {@code execute};
   * the future completes there, or fails if the loop has stopped. Any thread.
   */
  public CompletableFuture<DispatchMetrics> metrics() {
    try {
      return CompletableFuture.supplyAsync(this::metricsNow, loop);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the dispatch loop has stopped", e));
    }
  }

  /** The registered workers now. */
  public List<WorkerSnapshot> workers() {
    return pool.snapshots();
  }

  /** Everything the dispatcher knows for the admin endpoint's status, copied now. */
  public DispatchStatus status() {
    return DispatchStatus.of(admission, pool, clients);
  }

  /**
   * Completes every task still queued or on a worker without answering it, releasing its payload
   * (the master is stopping and its connections are closed).
   *
   * @return how many there were
   */
  public int releaseTasksLeft() {
    int n = 0;
    for (TaskType type : pool.types()) {
      for (Task task; (task = type.waiting.poll()) != null; n++) {
        admission.dequeued(task);
        ledger.complete(task);
      }
    }
    n += retries.releaseWaiting();
    for (WorkerSession w : pool.all()) {
      for (Task task : w.inFlight.values()) {
        task.worker = null;
        ledger.complete(task);
        n++;
      }
      w.inFlight.clear();
    }
    return n;
  }

  /** Asks every worker to finish its tasks and exit. */
  public void drainWorkers() {
    pool.drainAll();
  }
}
