package io.drover.master.internal.supervise;

import io.drover.master.status.WorkerState;
import io.drover.master.status.WorkerTransition;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.SettingChecks;
import io.drover.master.config.SupervisionSettings;
import io.drover.protocol.HumanUnits;
import io.drover.protocol.proto.Heartbeat;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the pool of worker JVMs at its size: spawns them, tells the dispatcher which connecting
 * processes are genuine, restarts crashed workers with exponential backoff and crash-loop
 * detection, kills workers that stop heartbeating or never register, recycles workers by task
 * count or memory (replacement first, then the old one drains), and reaps every exit.
 *
 * <p>Slot state is owned by one supervisor thread. The dispatch loop calls {@link #verify}, {@link
 * #registered}, {@link #heartbeat}, {@link #draining} and {@link #recycle} from its own thread;
 * they read only the concurrent map of spawned processes and hand everything else to the
 * supervisor thread. Every action on that thread is guarded: one that throws is logged at error
 * level with its slot, and supervision goes on.
 */
public final class WorkerSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerSupervisor.class);
  private static final int HISTORY = 1000;
  /** How long a crash report waits for the rest of the worker's stderr after its exit. */
  private static final Duration STDERR_DRAIN = Duration.ofSeconds(1);

  /** Replaced by a reload (on the supervisor thread); read anywhere. */
  private volatile MasterConfig config;
  /** {@code config.supervision()}, replaced with it. */
  private volatile SupervisionSettings settings;
  private final java.nio.file.Path socket;
  private final long ownerUid;
  /** Replaced by a reload that changes what workers run; supervisor thread. */
  private WorkerLauncher launcher;
  /** What this machine enforces on workers, and the master's cgroups. */
  private final io.drover.master.internal.limits.WorkerLimiter limiter;
  /**
   * Every slot, at index id - 1, including those a scale-down removed (they keep their id for a
   * later scale-up); grown by a scale-up. Supervisor thread only.
   */
  private volatile WorkerSlot[] slots;
  private final SplittableRandom random = new SplittableRandom();
  /** The pool's size: written on the supervisor thread, read anywhere. */
  private volatile int poolSize;
  /** Where the workers' output lines go besides the master's log. */
  private final io.drover.master.internal.logging.LogRing logs;
  private final Map<Long, SpawnedWorker> spawned = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> allReady = new CompletableFuture<>();
  /** Every slot's worker failed before registering, and none ever registered. */
  private final CompletableFuture<Void> everyStartFailed = new CompletableFuture<>();
  /** Some worker registered since the start; supervisor thread only. */
  private boolean anyRegistered;
  private final ScheduledThreadPoolExecutor thread;
  private long tickNanos;
  /** A stall of the dispatch loop or of this thread longer than this is forgiven to the workers. */
  private long stallNanos;
  /** The watchdog's schedule, replaced when a reload changes the heartbeat interval. */
  private ScheduledFuture<?> watchdog;
  /** The rolling restart in progress, or null; supervisor thread. */
  private Rollout rollout;
  private volatile String rolloutStatus;
  private volatile WorkerConnections connections;
  /** The most recent transitions, oldest first; written on the supervisor thread only. */
  private final ArrayDeque<WorkerTransition> history = new ArrayDeque<>();
  /** Restarts by {@link RestartReason#ordinal()}; supervisor thread only. */
  private final long[] restarts = new long[RestartReason.values().length];
  private LoopProbe loopProbe;
  private long lastTickNanos;
  /**
   * The master is shutting down: no worker is started any more (no restart, no replacement, no
   * retry of a failed start), so that no task runs on a worker that shutdown itself brought up.
   */
  private volatile boolean noNewWorkers;
  /** No more spawns, restarts or kills: the master is stopping its workers. */
  private volatile boolean stopping;
  /** The supervisor thread is gone: calls from the dispatch loop are ignored. */
  private volatile boolean closed;

  /** Creates a supervisor for {@code config.workers()} slots using the socket in {@code dir}. */
  public WorkerSupervisor(MasterConfig config, RuntimeDirectory dir) throws IOException {
    this(config, dir, new io.drover.master.internal.logging.LogRing());
  }

  /** A supervisor whose workers' output lines also go to {@code logs} (for {@code drover logs}). */
  public WorkerSupervisor(MasterConfig config, RuntimeDirectory dir, io.drover.master.internal.logging.LogRing logs) throws IOException {
    this.logs = logs;
    this.config = config;
    this.settings = config.supervision();
    this.ownerUid = dir.ownerUid();
    this.socket = dir.workerSocket();
    this.slots = new WorkerSlot[config.workers()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = newSlot(i + 1);
    }
    // Last of what can fail: it may create the master's cgroups, which only close() removes.
    this.limiter = io.drover.master.internal.limits.WorkerLimiter.detect();
    try {
      this.launcher = new WorkerLauncher(config, socket, limiter);
    } catch (io.drover.master.internal.limits.UnenforceableLimitsException e) {
      limiter.close();
      for (WorkerSlot slot : slots) {
        if (slot.logFile != null) {
          slot.logFile.close();
        }
      }
      throw new io.drover.master.MasterStartException(e.getMessage());
    }
    this.poolSize = slots.length;
    this.thread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "drover-supervisor");
              t.setDaemon(true);
              return t;
            });
    thread.setRemoveOnCancelPolicy(true);
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    watchdogPeriods(settings);
  }

  private void watchdogPeriods(SupervisionSettings settings) {
    this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), settings.heartbeatInterval().toNanos() / 2);
    // Half the slack a worker's heartbeats have before the timeout: a stall that long is noticed
    // before it can make any worker look silent for the whole timeout.
    this.stallNanos = Math.max(tickNanos, settings.heartbeatTimeout().minus(settings.heartbeatInterval()).toNanos() / 2);
  }

  private void scheduleWatchdog() {
    // The tick never throws (it is guarded), so the fixed-delay schedule never stops.
    watchdog =
        thread.scheduleWithFixedDelay(
            () -> guarded(null, "the heartbeat watchdog", this::watchdogTick), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Takes {@code next}'s supervision settings from now on (restarts, heartbeats, recycling by
   * memory, start and kill timeouts). What workers run changes only through {@link
   * #rollingRestart}. Any thread; completes on the supervisor thread once applied.
   */
  public CompletableFuture<Void> reconfigure(MasterConfig next) {
    try {
      return CompletableFuture.runAsync(() -> reconfigureNow(next), thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the master is shutting down"));
    }
  }

  private void reconfigureNow(MasterConfig next) {
    SupervisionSettings before = settings;
    config = next;
    settings = next.supervision();
    for (WorkerSlot slot : slots) {
      slot.backoff.settings(settings);
    }
    if (!before.heartbeatInterval().equals(settings.heartbeatInterval())
        || !before.heartbeatTimeout().equals(settings.heartbeatTimeout())) {
      watchdogPeriods(settings);
      if (watchdog != null) {
        watchdog.cancel(false);
        loopProbe = new LoopProbe(connections, stallNanos, System.nanoTime());
        lastTickNanos = System.nanoTime();
        scheduleWatchdog();
      }
    }
  }

  /**
   * Replaces the pool's workers one at a time (only worker {@code workerId} when it is not null):
   * each slot's replacement starts beside its worker, and once it is ready the old worker drains
   * (its tasks finish, it takes no new ones) and exits, then the next slot follows. The new
   * workers run what the current settings say (a reload changed them, or a jar changed on disk).
   * If a replacement fails before it is ready (exits, or does not register in time), the rollout
   * stops there: the old worker keeps serving, the slots not yet replaced keep the settings they
   * ran with, and the future fails with why. Slots with no worker serving (backing off, starting)
   * are not waited for: their next process runs the new settings. Any thread; completes on the
   * supervisor thread with one line once every slot is replaced.
   */
  public CompletableFuture<String> rollingRestart(Integer workerId, String reason) {
    try {
      return CompletableFuture.supplyAsync(() -> startRollout(workerId, reason), thread).thenCompose(f -> f);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the master is shutting down"));
    }
  }

  /**
   * Begins a rolling restart like {@link #rollingRestart} and completes as soon as it has begun,
   * with the status line (or fails at once: one in progress, no such worker, shutting down).
   */
  public CompletableFuture<String> beginRollingRestart(Integer workerId, String reason) {
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            startRollout(workerId, reason);
            return rolloutStatus;
          },
          thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the master is shutting down"));
    }
  }

  /** The last rolling restart's outcome, or what the one in progress has done; null before any. */
  public String rolloutStatus() {
    return rolloutStatus;
  }

  private CompletableFuture<String> startRollout(Integer workerId, String reason) {
    if (noNewWorkers) {
      throw new IllegalStateException("the master is shutting down");
    }
    if (rollout != null) {
      throw new IllegalStateException("a rolling restart is in progress (" + rollout.progress() + ", " + rollout.reason + ")");
    }
    List<WorkerSlot> todo = pool();
    if (workerId != null) {
      todo = todo.stream().filter(w -> w.id == workerId).toList();
      if (todo.isEmpty()) {
        throw new IllegalArgumentException(
            "worker " + workerId + " is not in the pool (expected one of: " + pool().stream().map(w -> String.valueOf(w.id)).collect(Collectors.joining(", ")) + ")");
      }
    }
    // A new launcher even for the same settings: the jars may have changed on disk, and a
    // class-data archive made from the old ones would not match them.
    WorkerLauncher previous = launcher;
    launcher = new WorkerLauncher(config, socket, limiter);
    rollout = new Rollout(reason, todo, previous);
    rolloutStatus = "rolling restart in progress (" + reason + "): " + rollout.progress();
    log.info("rolling restart of {} ({}): one at a time, each replacement ready before its worker drains", ids(todo.stream().map(w -> w.id).toList()), reason);
    advanceRollout();
    return rollout == null ? CompletableFuture.completedFuture(rolloutStatus) : rollout.done;
  }

  /** Starts the next slot's replacement, or ends the rollout when every slot is done. */
  private void advanceRollout() {
    Rollout r = rollout;
    for (WorkerSlot slot; (slot = r.next()) != null; ) {
      if (slot.removed || noNewWorkers) {
        continue;
      }
      if (slot.state != WorkerState.READY || slot.retiring != null || slot.process == null || !slot.process.isAlive()) {
        // Nothing serving to replace: its next process, whenever it starts, runs the new settings.
        r.replaced++;
        continue;
      }
      long pid = slot.pid;
      log.info("rolling restart: replacing worker {} (pid {}); {}", slot.id, pid, r.progress());
      slot.retiring = slot.process;
      try {
        startProcess(slot, "spawned to replace pid " + pid + " (rolling restart: " + r.reason + ")");
      } catch (Exception e) {
        slot.retiring = null;
        stopRollout(slot, "cannot start a replacement: " + e.getMessage());
        return;
      }
      r.current = slot;
      rolloutStatus = "rolling restart in progress (" + r.reason + "): " + r.progress() + ", replacing worker " + slot.id;
      return;
    }
    rollout = null;
    if (r.previous != launcher) {
      r.previous.close();
    }
    rolloutStatus = "rolling restart done (" + r.reason + "): " + r.progress();
    log.info(rolloutStatus);
    r.done.complete(rolloutStatus);
  }

  /**
   * {@code slot}'s replacement failed before it was ready: the worker it was to replace serves on,
   * workers not yet replaced keep their settings, and the rollout ends with why.
   */
  private void stopRollout(WorkerSlot slot, String why) {
    Rollout r = rollout;
    rollout = null;
    WorkerLauncher failed = launcher;
    launcher = r.previous;
    failed.close();
    rolloutStatus =
        "rolling restart stopped (" + r.reason + "): " + r.progress() + "; worker " + slot.id + "'s replacement " + why
            + "; the workers not replaced keep serving with their settings";
    log.error(rolloutStatus);
    r.done.completeExceptionally(new IllegalStateException(rolloutStatus));
  }

  private WorkerSlot newSlot(int id) throws IOException {
    RotatingLogFile file =
        settings.workerLogDirectory() == null
            ? null
            : new RotatingLogFile(settings.workerLogDirectory(), id, settings.workerLogMaxBytes());
    return new WorkerSlot(id, new RestartBackoff(settings, random.split()), file);
  }

  /** The slots in the pool (not removed by a scale-down). Supervisor thread only. */
  private List<WorkerSlot> pool() {
    List<WorkerSlot> pool = new ArrayList<>(slots.length);
    for (WorkerSlot s : slots) {
      if (!s.removed) {
        pool.add(s);
      }
    }
    return pool;
  }

  /** Spawns every worker and starts watching heartbeats; {@code connections} reaches the dispatcher. */
  public void start(WorkerConnections connections) {
    this.connections = connections;
    thread.execute(
        () -> {
          loopProbe = new LoopProbe(connections, stallNanos, System.nanoTime());
          for (WorkerSlot slot : slots) {
            guarded(slot, "spawning", () -> spawn(slot, "spawned"));
          }
          lastTickNanos = System.nanoTime(); // spawning many JVMs is not the watchdog running late
        });
    thread.execute(this::scheduleWatchdog);
  }

  /**
   * Waits until every worker has registered.
   *
   * @throws TimeoutException if some have not after {@code timeout}
   */
  public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      allReady.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException("workers not all registered within " + HumanUnits.duration(timeout) + ": " + describeSlots());
    }
  }

  /**
   * Waits at start-up until every worker has registered, {@code timeout} has passed, or every
   * slot's worker has failed before registering (no point waiting longer: see {@link
   * #startFailures}).
   *
   * @return how many workers are ready
   */
  public int awaitStart(Duration timeout) throws InterruptedException {
    try {
      CompletableFuture.anyOf(allReady, everyStartFailed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Nothing completes them exceptionally; a timeout is the answer asked for.
    }
    return readyWorkers();
  }

  /** Whether every slot's worker has failed before registering, none having ever registered. */
  public boolean everyStartFailed() {
    return everyStartFailed.isDone();
  }

  /** How many workers are ready now. */
  public int readyWorkers() {
    return onThread(() -> (int) pool().stream().filter(s -> s.state == WorkerState.READY).count(), 0);
  }

  /**
   * Why the workers that are not ready are not, one clause per reason with the slots it applies
   * to, for the line that says why the master could not start: {@code "workers 1, 2: exited
   * unexpectedly (exit code 3), stderr: ..."}.
   */
  public String startFailures() {
    return onThread(() -> StartFailures.describe(pool().toArray(WorkerSlot[]::new)), "(unavailable)");
  }

  /** Each slot's state, for logs and status. */
  public String describeSlots() {
    return onThread(
        () -> pool().stream().map(s -> s + " " + s.state).collect(Collectors.joining(", ")),
        "(unavailable)");
  }

  /** The state of slot {@code id} (1-based). */
  public WorkerState state(int id) {
    return onThread(() -> slots[id - 1].state, WorkerState.STOPPED);
  }

  /**
   * Grows or shrinks the pool to {@code workers} slots. Growing spawns the new workers at once
   * (taking back the lowest ids a scale-down freed); shrinking takes slots out of the pool, those
   * without a ready worker first (backing off, crash-looping, starting), then the highest ids: a
   * ready worker is drained, so that its tasks finish and it takes no new ones, then exits and is
   * not replaced (killed if still draining after the shutdown timeout; its tasks are then retried
   * like a crashed worker's). Any thread; completes on the supervisor thread with what was done,
   * in one line, or exceptionally with an {@link IllegalStateException} when the master is
   * shutting down.
   */
  public CompletableFuture<String> scale(int workers) {
    SettingChecks.checkWorkers(workers);
    try {
      return CompletableFuture.supplyAsync(() -> scaleNow(workers), thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the master is shutting down"));
    }
  }

  /** How many workers the pool has, ready or not (its size after the last scale). Any thread. */
  public int poolSize() {
    return poolSize;
  }

  private String scaleNow(int workers) {
    if (noNewWorkers) {
      throw new IllegalStateException("the master is shutting down");
    }
    List<WorkerSlot> pool = pool();
    int from = pool.size();
    if (workers == from) {
      return "the pool has " + from + " workers already";
    }
    List<Integer> changed = new ArrayList<>();
    if (workers > from) {
      for (int n = from; n < workers; n++) {
        WorkerSlot slot = freeSlot();
        slot.removed = false;
        changed.add(slot.id);
        guarded(slot, "spawning", () -> spawn(slot, "spawned: scaling up from " + from + " to " + workers + " workers"));
      }
      poolSize = workers;
      String line = "scaling up from " + from + " to " + workers + " workers: starting " + ids(changed);
      log.info(line);
      return line;
    }
    pool.sort(
        java.util.Comparator.comparing((WorkerSlot w) -> w.state == WorkerState.READY || w.state == WorkerState.DRAINING)
            .thenComparing(w -> -w.id));
    for (WorkerSlot slot : pool.subList(0, from - workers)) {
      slot.removed = true;
      changed.add(slot.id);
      guarded(slot, "taking it out of the pool", () -> removeFromPool(slot, from, workers));
    }
    poolSize = workers;
    java.util.Collections.sort(changed);
    String line = "scaling down from " + from + " to " + workers + " workers: draining and removing " + ids(changed);
    log.info(line);
    return line;
  }

  /** A slot for a scale-up: the lowest id out of the pool whose process is gone, else a new id. */
  private WorkerSlot freeSlot() {
    for (WorkerSlot s : slots) {
      if (s.removed && (s.process == null || !s.process.isAlive()) && (s.retiring == null || !s.retiring.isAlive())) {
        s.backoff = new RestartBackoff(settings, random.split()); // the slot starts afresh
        s.startFailure = null;
        return s;
      }
    }
    WorkerSlot[] grown = Arrays.copyOf(slots, slots.length + 1);
    try {
      grown[slots.length] = newSlot(slots.length + 1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open the log file of worker " + grown.length, e);
    }
    slots = grown;
    return grown[grown.length - 1];
  }

  private static String ids(List<Integer> ids) {
    return (ids.size() == 1 ? "worker " : "workers ") + ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /** Takes {@code slot} out of the pool: drains its worker, or stops it where it has none serving. */
  private void removeFromPool(WorkerSlot slot, int from, int to) {
    String why = "scaling down from " + from + " to " + to + " workers";
    boolean live = slot.process != null && slot.process.isAlive();
    if (!live) {
      transition(slot, WorkerState.STOPPED, "left the pool: " + why);
      return;
    }
    if (slot.state == WorkerState.STARTING) {
      // Not registered yet, so it holds no task: SIGTERM makes a worker drain and exit by itself.
      slot.killing = true;
      slot.process.destroy();
      transition(slot, WorkerState.DRAINING, why + "; stopping it before it registers");
      return;
    }
    drainRemoved(slot, why);
  }

  /** Drains the worker of a slot out of the pool: no new tasks, the running ones finish, then it exits. */
  private void drainRemoved(WorkerSlot slot, String why) {
    Process p = slot.process;
    if (slot.state != WorkerState.DRAINING) {
      transition(slot, WorkerState.DRAINING, why + "; draining it");
    }
    connections.drain(slot.pid);
    later(
        slot,
        "ending a drained worker",
        config.shutdownTimeout().toNanos(),
        () -> {
          if (!stopping && slot.removed && slot.process == p && p.isAlive()) {
            log.warn(
                "worker {} (pid {}): still draining {} after leaving the pool; killing it (its tasks are retried elsewhere)",
                slot.id, p.pid(), HumanUnits.duration(config.shutdownTimeout()));
            slot.killedBecause = "still draining " + HumanUnits.duration(config.shutdownTimeout()) + " after a scale-down";
            kill(slot, p);
            connections.disconnect(p.pid());
          }
        });
  }

  /**
   * The supervisor thread, for control-plane work that must run one piece at a time beside
   * supervision (reloads): never for anything that blocks.
   */
  public java.util.concurrent.Executor controlExecutor() {
    return thread;
  }

  /** Runs {@code task} on the supervisor thread. Only for tests, which hold the thread on purpose. */
  void runOnSupervisorThread(Runnable task) {
    thread.execute(task);
  }

  // ---- called on the dispatch loop ----

  public String verify(long pid, long uid) {
    if (uid != ownerUid) {
      return "uid " + uid + " is not the master's uid " + ownerUid;
    }
    if (!spawned.containsKey(pid)) {
      return "pid " + pid + " is not a worker process this master spawned";
    }
    return null;
  }

  public String registered(int workerId, long pid, int capacity, List<String> taskTypes) {
    if (closed) {
      return "the master is shutting down";
    }
    SpawnedWorker worker = spawned.get(pid);
    if (worker == null) {
      return "pid " + pid + " is not a worker process this master spawned";
    }
    if (worker.slotId != workerId) {
      return "pid " + pid + " was spawned as worker " + worker.slotId + " but registered as worker " + workerId;
    }
    String refusal = worker.register();
    if (refusal != null) {
      return refusal;
    }
    onSupervisorThread(workerId, "registration", slot -> onRegistered(slot, pid));
    return null;
  }

  public void heartbeat(int workerId, long pid, Heartbeat heartbeat) {
    onSupervisorThread(workerId, "heartbeat", slot -> onHeartbeat(slot, pid, heartbeat));
  }

  public void draining(int workerId, long pid) {
    onSupervisorThread(
        workerId,
        "draining",
        slot -> {
          if (slot.pid == pid && slot.state == WorkerState.READY) {
            transition(slot, WorkerState.DRAINING, "the worker is shutting down by itself (SIGTERM?)");
          }
        });
  }

  public void recycle(int workerId, long pid, String reason) {
    onSupervisorThread(workerId, "recycling", slot -> recycleNow(slot, pid, reason));
  }

  public void disconnected(int workerId, long pid) {
    log.debug("worker {} (pid {}) disconnected", workerId, pid);
  }

  /** Hands {@code action} for slot {@code workerId} to the supervisor thread; ignored once closed. */
  private void onSupervisorThread(int workerId, String what, java.util.function.Consumer<WorkerSlot> action) {
    if (closed) {
      return;
    }
    try {
      thread.execute(
          () -> {
            WorkerSlot slot = slots[workerId - 1];
            guarded(slot, what, () -> action.accept(slot));
          });
    } catch (RejectedExecutionException e) {
      // Closed between the check and the call: nothing is supervised any more.
      log.debug("worker {}: {} ignored: the supervisor is closed", workerId, what);
    }
  }

  // ---- on the supervisor thread ----

  /** Runs one supervision action; whatever it throws is logged and supervision goes on. */
  private static void guarded(WorkerSlot slot, String what, Runnable action) {
    try {
      action.run();
    } catch (Throwable t) {
      log.error("{}: {} failed; supervision goes on", slot == null ? "supervisor" : "worker " + slot.id, what, t);
    }
  }

  /** Runs {@code action} (guarded) after {@code delayNanos}; nothing once closed. */
  private ScheduledFuture<?> later(WorkerSlot slot, String what, long delayNanos, Runnable action) {
    try {
      return thread.schedule(() -> guarded(slot, what, action), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
      return null;
    }
  }

  /** Starts a process for {@code slot}; one that cannot be started counts as a crash at start-up. */
  private void spawn(WorkerSlot slot, String reason) {
    if (noNewWorkers || slot.removed) {
      return; // a restart that was due when the slot left the pool
    }
    try {
      startProcess(slot, reason);
    } catch (Exception e) {
      // IOException (no java binary, no working directory) or one ProcessBuilder throws for a
      // setting, such as an environment variable name holding '='.
      log.error("worker {}: cannot start a worker process: {}", slot.id, e.toString(), e instanceof IOException ? null : e);
      long now = System.nanoTime();
      failedToStart(slot, "cannot start: " + e.getMessage());
      scheduleRestart(slot, "cannot start: " + e.getMessage(), slot.backoff.onCrash(now, 0));
    }
  }

  private void startProcess(WorkerSlot slot, String reason) throws IOException {
    WorkerLauncher launcher = this.launcher;
    Process p = launcher.start(slot.id);
    ProcessOutputPump stderr;
    try {
      ProcessOutputPump.start(p.getInputStream(), slot.id, p.pid(), false, slot.logFile, logs);
      stderr = ProcessOutputPump.start(p.getErrorStream(), slot.id, p.pid(), true, slot.logFile, logs);
    } catch (RuntimeException | Error e) {
      p.destroyForcibly(); // not adopted: nobody else would ever stop it
      throw e;
    }
    SpawnedWorker worker = new SpawnedWorker(slot.id, launcher);
    if (slot.everStarted) {
      slot.restarts++;
    }
    slot.everStarted = true;
    slot.process = p;
    slot.pid = p.pid();
    slot.spawnedAtNanos = System.nanoTime();
    slot.killing = false;
    slot.killedBecause = null;
    slot.killedFor = null;
    slot.stderr = stderr;
    slot.limits = launcher.limitsInForce();
    spawned.put(slot.pid, worker);
    transition(slot, WorkerState.STARTING, reason);
    // The exit is handled once stderr has been read to its end, so that a crash report quotes the
    // last lines the worker wrote (a stack trace is often still in the pipe when the process is
    // gone); a process the worker started may hold stderr open, hence the bound.
    p.onExit()
        .thenCompose(exited -> stderr.ended(STDERR_DRAIN))
        .thenRunAsync(() -> guarded(slot, "exit handling", () -> onExit(slot, p)), thread);
    slot.startTimeout =
        later(slot, "start timeout", config.workerStartTimeout().toNanos(), () -> onStartTimeout(slot, p, worker));
  }

  private void onStartTimeout(WorkerSlot slot, Process p, SpawnedWorker worker) {
    if (stopping || slot.process != p || slot.state != WorkerState.STARTING || !p.isAlive()) {
      return;
    }
    if (!worker.timeOut()) {
      return; // registered on the dispatch loop a moment ago; onRegistered is queued behind us
    }
    log.error(
        "worker {} (pid {}) did not register within {}; killing it (counts as a crash)",
        slot.id, slot.pid, HumanUnits.duration(config.workerStartTimeout()));
    slot.killedBecause = "did not register within " + HumanUnits.duration(config.workerStartTimeout());
    slot.killedFor = RestartReason.START_TIMEOUT;
    kill(slot, p);
  }

  private void onRegistered(WorkerSlot slot, long pid) {
    if (slot.pid != pid) {
      return;
    }
    if (slot.startTimeout != null) {
      slot.startTimeout.cancel(false);
    }
    SpawnedWorker spawnedWorker = spawned.get(pid);
    if (spawnedWorker != null) {
      spawnedWorker.launcher.workerRegistered(pid);
    }
    slot.lastHeartbeatNanos = System.nanoTime();
    slot.startFailure = null;
    anyRegistered = true;
    long ms = TimeUnit.NANOSECONDS.toMillis(slot.lastHeartbeatNanos - slot.spawnedAtNanos);
    transition(slot, WorkerState.READY, "registered " + ms + " ms after spawn");
    if (slot.removed) {
      drainRemoved(slot, "it registered after a scale-down took its slot out of the pool");
      return;
    }
    Process old = slot.retiring;
    if (old != null && old.isAlive() && !stopping) {
      log.info("worker {} (pid {}): replacement ready; draining the recycled worker", slot.id, old.pid());
      connections.drain(old.pid());
      // A recycled worker that does not finish draining within the shutdown timeout (a hung
      // handler) is killed; its tasks are re-dispatched like any crashed worker's.
      later(slot, "ending a recycled worker", config.shutdownTimeout().toNanos(), () -> endRecycled(slot, old));
    }
    if (pool().stream().allMatch(s -> s.state == WorkerState.READY)) {
      allReady.complete(null);
    }
    if (rollout != null && rollout.current == slot) {
      rollout.current = null;
      rollout.replaced++;
      advanceRollout();
    }
  }

  private void endRecycled(WorkerSlot slot, Process old) {
    if (stopping || !old.isAlive() || slot.retiring != old) {
      return;
    }
    log.warn(
        "worker {} (pid {}): recycled worker still draining after {}; killing it",
        slot.id, old.pid(), HumanUnits.duration(config.shutdownTimeout()));
    old.destroy();
    later(slot, "SIGKILL to a recycled worker", settings.killGrace().toNanos(), old::destroyForcibly);
    connections.disconnect(old.pid());
  }

  private void onHeartbeat(WorkerSlot slot, long pid, Heartbeat heartbeat) {
    if (slot.pid != pid) {
      return;
    }
    slot.lastHeartbeatNanos = System.nanoTime();
    long maxRss = settings.maxWorkerRssBytes();
    if (maxRss > 0 && heartbeat.getRssBytes() > maxRss) {
      recycleNow(slot, pid, "resident memory " + (heartbeat.getRssBytes() >> 20) + " MiB exceeds " + (maxRss >> 20) + " MiB");
    }
  }

  /**
   * One watchdog round: forgives silence the master itself caused (a stalled dispatch loop, or
   * this thread held up), then kills workers silent for longer than the heartbeat timeout while
   * the master could hear them.
   */
  private void watchdogTick() {
    if (stopping) {
      return;
    }
    long now = System.nanoTime();
    long late = now - lastTickNanos - tickNanos;
    lastTickNanos = now;
    long loopStall = loopProbe.collect();
    if (loopStall > 0) {
      forgiveSilence(now, "the dispatch loop did not respond for " + TimeUnit.NANOSECONDS.toMillis(loopStall) + " ms (a long GC pause, or blocking work on it?)");
    } else if (late > stallNanos) {
      forgiveSilence(now, "the supervisor thread ran its heartbeat check " + TimeUnit.NANOSECONDS.toMillis(late) + " ms late (the master was paused or starved of CPU?)");
    }
    loopProbe.send(now);
    long heardUntil = loopProbe.heardUntil();
    for (WorkerSlot slot : slots) {
      guarded(slot, "the heartbeat check", () -> checkHeartbeat(slot, heardUntil));
    }
  }

  /** Heartbeats pass through the stalled part of the master: no worker is to blame for the gap. */
  private void forgiveSilence(long now, String why) {
    log.warn("{}; not holding that silence against the workers: their heartbeat timeouts start again now", why);
    for (WorkerSlot slot : slots) {
      if (now - slot.lastHeartbeatNanos > 0) {
        slot.lastHeartbeatNanos = now;
      }
    }
  }

  /** Kills the worker in {@code slot} if it was silent too long up to {@code heardUntil}. */
  private void checkHeartbeat(WorkerSlot slot, long heardUntil) {
    boolean watched = slot.state == WorkerState.READY || slot.state == WorkerState.DRAINING;
    long silentMs = TimeUnit.NANOSECONDS.toMillis(heardUntil - slot.lastHeartbeatNanos);
    if (!watched || slot.killing || heardUntil - slot.lastHeartbeatNanos <= settings.heartbeatTimeout().toNanos()) {
      return;
    }
    log.error(
        "worker {} (pid {}) sent no heartbeat for {} (timeout {}); killing it and re-dispatching its tasks",
        slot.id, slot.pid, HumanUnits.millis(silentMs), HumanUnits.duration(settings.heartbeatTimeout()));
    slot.killedBecause = "sent no heartbeat for " + HumanUnits.millis(silentMs);
    slot.killedFor = RestartReason.HUNG;
    // The kill first: whatever happens to the call to the dispatcher, the hung worker goes.
    kill(slot, slot.process);
    connections.disconnect(slot.pid);
  }

  /** SIGTERM now, SIGKILL after the grace period if it is still there. */
  private void kill(WorkerSlot slot, Process p) {
    slot.killing = true;
    p.destroy();
    later(
        slot,
        "SIGKILL after the grace period",
        settings.killGrace().toNanos(),
        () -> {
          if (p.isAlive()) {
            log.warn("worker {} (pid {}) still alive {} after SIGTERM; sending SIGKILL", slot.id, p.pid(), HumanUnits.duration(settings.killGrace()));
            p.destroyForcibly();
          }
        });
  }

  private void recycleNow(WorkerSlot slot, long pid, String reason) {
    if (noNewWorkers || slot.pid != pid || slot.state != WorkerState.READY || slot.retiring != null) {
      return;
    }
    log.info("worker {} (pid {}): recycling: {}; starting its replacement first", slot.id, pid, reason);
    slot.retiring = slot.process;
    try {
      startProcess(slot, "spawned to replace pid " + pid + ", recycled: " + reason);
      restarts[RestartReason.RECYCLED.ordinal()]++;
    } catch (Exception e) {
      slot.retiring = null;
      log.error("worker {} (pid {}): cannot start its replacement: {}; it keeps serving", slot.id, pid, e.toString(), e instanceof IOException ? null : e);
    }
  }

  private void onExit(WorkerSlot slot, Process exited) {
    SpawnedWorker spawnedWorker = spawned.remove(exited.pid());
    int code = exited.exitValue();
    String limitKill = (spawnedWorker != null ? spawnedWorker.launcher : launcher).workerExited(exited.pid(), code);
    String how = code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    // A kill by the memory limit says so instead of the bare signal, wherever the exit is named.
    String unexpected = "exited unexpectedly (" + how + ")";
    if (limitKill != null) {
      how = limitKill + ", signal " + (code - 128);
      unexpected = how;
      if (exited == slot.process) {
        slot.killedBecause = null;
        slot.killedFor = RestartReason.MEMORY_LIMIT;
      }
    }
    if (exited == slot.retiring || exited == slot.process) {
      slot.lastExit = WorkerSlotStatus.Exit.of(exited.pid(), code, exitReason(slot, exited, how, unexpected));
    }
    if (exited == slot.retiring) {
      slot.retiring = null;
      log.info("worker {} (pid {}): recycled worker exited ({})", slot.id, exited.pid(), how);
      return;
    }
    if (slot.process != exited) {
      return;
    }
    if (slot.startTimeout != null) {
      slot.startTimeout.cancel(false);
    }
    if (stopping) {
      transition(slot, WorkerState.STOPPED, "exited (" + how + ")");
      return;
    }
    if (rollout != null && rollout.current == slot && slot.state == WorkerState.STARTING && slot.retiring != null) {
      revertReplacement(slot, exited, how);
      return;
    }
    if (slot.removed) {
      transition(slot, WorkerState.STOPPED, "left the pool (scaled down): exited (" + how + ")");
      return;
    }
    if (slot.state == WorkerState.DRAINING && code == 0) {
      if (noNewWorkers) {
        transition(slot, WorkerState.STOPPED, "exited after draining by itself; not replaced: the master is shutting down");
        return;
      }
      transition(slot, WorkerState.BACKING_OFF, "exited after draining by itself; restarting now");
      restarts[RestartReason.DRAINED.ordinal()]++;
      spawn(slot, "spawned");
      return;
    }
    List<String> lastErr = slot.stderr == null ? List.of() : slot.stderr.lastLines();
    String cause = slot.killedBecause != null ? slot.killedBecause + ", killed (" + how + ")" : unexpected;
    String crash =
        cause
            + "; last stderr lines: "
            + (lastErr.isEmpty() ? "(none)" : String.join(" | ", lastErr));
    if (slot.state == WorkerState.STARTING) {
      failedToStart(slot, cause + StartFailures.stderr(lastErr));
    }
    if (noNewWorkers) {
      log.error("worker {} (pid {}) {}", slot.id, slot.pid, crash);
      transition(slot, WorkerState.STOPPED, cause + "; not restarted: the master is shutting down");
      return;
    }
    long now = System.nanoTime();
    long delay = slot.backoff.onCrash(now, now - slot.spawnedAtNanos);
    if (slot.backoff.inCrashLoop()) {
      log.error(
          "worker {} (pid {}) is crash-looping: {} crashes within {}; {}",
          slot.id, slot.pid, slot.backoff.recentCrashes(), HumanUnits.duration(settings.crashLoopWindow()), crash);
    } else {
      log.error("worker {} (pid {}) {}", slot.id, slot.pid, crash);
    }
    restarts[(slot.killedFor == null ? RestartReason.CRASH : slot.killedFor).ordinal()]++;
    scheduleRestart(slot, cause, delay);
  }

  /** A rollout's replacement for {@code slot} ended before it was ready: the old worker serves on. */
  private void revertReplacement(WorkerSlot slot, Process replacement, String how) {
    List<String> lastErr = slot.stderr == null ? List.of() : slot.stderr.lastLines();
    String cause =
        (slot.killedBecause != null ? slot.killedBecause + ", killed (" + how + ")" : "exited before it was ready (" + how + ")")
            + StartFailures.stderr(lastErr);
    Process old = slot.retiring;
    slot.retiring = null;
    slot.process = old;
    slot.pid = old.pid();
    slot.killing = false;
    slot.killedBecause = null;
    slot.lastHeartbeatNanos = System.nanoTime(); // its heartbeats were not counted meanwhile
    transition(slot, WorkerState.READY, "its replacement (pid " + replacement.pid() + ") " + cause + "; pid " + old.pid() + " serves on");
    stopRollout(slot, "(pid " + replacement.pid() + ") " + cause);
  }

  /** Why {@code exited} ended, in the words of status. */
  private String exitReason(WorkerSlot slot, Process exited, String how, String unexpected) {
    if (exited == slot.retiring) {
      return "recycled (" + how + ")";
    }
    if (stopping) {
      return "stopped with the master (" + how + ")";
    }
    if (slot.removed) {
      return "scaled down (" + how + ")";
    }
    if (slot.state == WorkerState.DRAINING && exited.exitValue() == 0) {
      return "drained (" + how + ")";
    }
    return slot.killedBecause != null ? slot.killedBecause + ", killed (" + how + ")" : unexpected;
  }

  /**
   * Every slot's state now, taken on the supervisor thread; the future completes there (or with
   * the slots as last seen once the supervisor is closed). Any thread.
   */
  public CompletableFuture<List<WorkerSlotStatus>> slotStatuses() {
    try {
      return CompletableFuture.supplyAsync(this::slotStatusesNow, thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(List.of());
    }
  }

  private List<WorkerSlotStatus> slotStatusesNow() {
    long now = System.nanoTime();
    List<WorkerSlotStatus> out = new java.util.ArrayList<>(slots.length);
    for (WorkerSlot s : slots) {
      boolean live = s.process != null && s.process.isAlive();
      if (s.removed && !live) {
        continue; // out of the pool, and its process is gone
      }
      out.add(
          new WorkerSlotStatus(
              s.id,
              live ? s.pid : -1,
              s.state,
              now - s.stateSinceNanos,
              s.restarts,
              s.lastExit,
              s.state == WorkerState.READY || s.state == WorkerState.DRAINING ? now - s.lastHeartbeatNanos : -1,
              s.limits));
    }
    return out;
  }

  /** Notes why {@code slot}'s worker failed before registering, for {@link #startFailures}. */
  private void failedToStart(WorkerSlot slot, String why) {
    slot.startFailure = why;
    if (!anyRegistered && pool().stream().allMatch(s -> s.startFailure != null)) {
      everyStartFailed.complete(null);
    }
  }

  private void scheduleRestart(WorkerSlot slot, String why, long delayNanos) {
    WorkerState next = slot.backoff.inCrashLoop() ? WorkerState.CRASH_LOOP : WorkerState.BACKING_OFF;
    transition(slot, next, why + "; restart in " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms");
    later(slot, "restarting", delayNanos, () -> spawn(slot, "spawned"));
  }

  private void transition(WorkerSlot slot, WorkerState to, String reason) {
    WorkerState from = slot.state;
    slot.state = to;
    slot.stateSinceNanos = System.nanoTime();
    if (history.size() == HISTORY) {
      history.removeFirst();
    }
    history.addLast(new WorkerTransition(Instant.now(), System.nanoTime(), slot.id, slot.pid, from, to, reason));
    if (to == WorkerState.CRASH_LOOP) {
      log.error("worker {} (pid {}): {} -> {}: {}", slot.id, slot.pid, from, to, reason);
    } else {
      log.info("worker {} (pid {}): {} -> {}: {}", slot.id, slot.pid, from, to, reason);
    }
  }

  /** The most recent state transitions of every slot (up to 1,000), oldest first. */
  public List<WorkerTransition> transitions() {
    return onThread(() -> List.copyOf(history), List.of());
  }

  /**
   * The last {@code max} state transitions of every slot, oldest first, taken on the supervisor
   * thread without blocking the caller (empty once the supervisor is closed). Any thread.
   */
  public CompletableFuture<List<WorkerTransition>> recentTransitions(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= 0)");
    }
    try {
      return CompletableFuture.supplyAsync(
          () -> List.copyOf(new ArrayList<>(history).subList(Math.max(0, history.size() - max), history.size())), thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(List.of());
    }
  }

  /**
   * Each slot's state and the restarts so far, for the metrics, taken on the supervisor thread;
   * the future completes there, or fails once the supervisor is closed. Any thread.
   */
  public CompletableFuture<SupervisorMetrics> metrics() {
    try {
      return CompletableFuture.supplyAsync(
          () -> new SupervisorMetrics(Arrays.stream(slots).map(s -> s.state).toList(), restarts.clone()), thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the supervisor is closed", e));
    }
  }

  /** The pids of the live worker processes (for tests and status). */
  public List<Long> workerPids() {
    return List.copyOf(spawned.keySet());
  }

  /**
   * The master begins to shut down: from now on no worker is started, whatever happens (a crash,
   * a worker that drained by itself, a recycling request, a restart that was due), and slots
   * waiting to restart are {@code STOPPED}. The workers running go on serving (the watchdog
   * still kills a hung one) until {@link #stop}. Returns at once; any thread.
   */
  public void beginShutdown() {
    noNewWorkers = true;
    try {
      thread.execute(() -> guarded(null, "cancelling restarts", this::cancelRestarts));
    } catch (RejectedExecutionException e) {
      log.debug("restarts not cancelled: the supervisor is closed");
    }
  }

  private void cancelRestarts() {
    for (WorkerSlot slot : slots) {
      if (slot.state == WorkerState.BACKING_OFF || slot.state == WorkerState.CRASH_LOOP) {
        transition(slot, WorkerState.STOPPED, "restart cancelled: the master is shutting down");
      }
    }
  }

  /**
   * Waits up to {@code grace} for the workers to exit by themselves (the dispatcher has asked
   * them to drain), then sends SIGTERM, then SIGKILL; returns once every process is gone. From now
   * on nothing is spawned, restarted or killed for silence; calls from the dispatch loop are still
   * taken until {@link #close}.
   */
  public void stop(Duration grace) {
    noNewWorkers = true;
    stopping = true;
    List<Process> live =
        onThread(
            () -> {
              List<Process> ps = new ArrayList<>();
              for (WorkerSlot s : slots) {
                for (Process p : new Process[] {s.process, s.retiring}) {
                  if (p != null && p.isAlive()) {
                    ps.add(p);
                  }
                }
              }
              return ps;
            },
            List.of());
    waitFor(live, grace);
    live.stream().filter(Process::isAlive).forEach(Process::destroy);
    waitFor(live, settings.killGrace());
    live.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    waitFor(live, settings.killGrace());
  }

  private <T> T onThread(Callable<T> query, T fallback) {
    try {
      return thread.submit(query).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fallback;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      return fallback;
    }
  }

  private static void waitFor(List<Process> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Process p : processes) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          p.waitFor(left, TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Stops the workers if {@link #stop} has not, then the supervisor thread. Call it once nothing
   * dispatches into the supervisor any more (the dispatch loop has shut down); calls that still
   * come are ignored.
   */
  @Override
  public void close() {
    if (!stopping) {
      stop(Duration.ZERO);
    }
    closed = true;
    thread.shutdown();
    launcher.close();
    // After stop: the workers are gone, so their cgroups can go.
    limiter.close();
    for (WorkerSlot s : slots) {
      if (s.logFile != null) {
        s.logFile.close();
      }
    }
  }
}
