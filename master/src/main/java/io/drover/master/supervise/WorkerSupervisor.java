package io.drover.master.supervise;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.dispatch.WorkerRegistry;
import io.drover.master.transport.PeerVerifier;
import io.drover.protocol.proto.Heartbeat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * they read only the concurrent map of spawned pids and hand everything else to the supervisor
 * thread.
 */
public final class WorkerSupervisor implements WorkerRegistry, PeerVerifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerSupervisor.class);

  private final MasterConfig config;
  private final SupervisionSettings settings;
  private final long ownerUid;
  private final WorkerLauncher launcher;
  private final WorkerSlot[] slots;
  private final Map<Long, Integer> slotByPid = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> allReady = new CompletableFuture<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "drover-supervisor");
            t.setDaemon(true);
            return t;
          });
  private volatile WorkerConnections connections;
  /** The most recent transitions, oldest first; written on the supervisor thread only. */
  private final java.util.ArrayDeque<WorkerTransition> history = new java.util.ArrayDeque<>();
  private static final int HISTORY = 1000;
  private volatile boolean stopping;

  /** Creates a supervisor for {@code config.workers()} slots using the socket in {@code dir}. */
  public WorkerSupervisor(MasterConfig config, RuntimeDirectory dir) throws IOException {
    this.config = config;
    this.settings = config.supervision();
    this.ownerUid = dir.ownerUid();
    this.launcher = new WorkerLauncher(config, dir.workerSocket());
    this.slots = new WorkerSlot[config.workers()];
    SplittableRandom random = new SplittableRandom();
    for (int i = 0; i < slots.length; i++) {
      RotatingLogFile file =
          settings.workerLogDirectory() == null
              ? null
              : new RotatingLogFile(settings.workerLogDirectory(), i + 1, settings.workerLogMaxBytes());
      slots[i] = new WorkerSlot(i + 1, new RestartBackoff(settings, random.split()), file);
    }
  }

  /** Spawns every worker and starts watching heartbeats; {@code connections} reaches the dispatcher. */
  public void start(WorkerConnections connections) {
    this.connections = connections;
    thread.execute(
        () -> {
          for (WorkerSlot slot : slots) {
            spawn(slot);
          }
        });
    long period = Math.max(50, settings.heartbeatInterval().toMillis() / 2);
    thread.scheduleWithFixedDelay(this::checkHeartbeats, period, period, TimeUnit.MILLISECONDS);
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
      throw new TimeoutException("workers not all registered within " + timeout + ": " + describeSlots());
    }
  }

  /** Each slot's state, for logs and status. */
  public String describeSlots() {
    return onThread(
        () -> Arrays.stream(slots).map(s -> s + " " + s.state).collect(Collectors.joining(", ")),
        "(unavailable)");
  }

  /** The state of slot {@code id} (1-based). */
  public WorkerState state(int id) {
    return onThread(() -> slots[id - 1].state, WorkerState.STOPPED);
  }

  // ---- called on the dispatch loop ----

  @Override
  public String verify(long pid, long uid) {
    if (uid != ownerUid) {
      return "uid " + uid + " is not the master's uid " + ownerUid;
    }
    if (!slotByPid.containsKey(pid)) {
      return "pid " + pid + " is not a worker process this master spawned";
    }
    return null;
  }

  @Override
  public String registered(int workerId, long pid, int capacity, List<String> taskTypes) {
    Integer slot = slotByPid.get(pid);
    if (slot == null) {
      return "pid " + pid + " is not a worker process this master spawned";
    }
    if (slot != workerId) {
      return "pid " + pid + " was spawned as worker " + slot + " but registered as worker " + workerId;
    }
    thread.execute(() -> onRegistered(slots[workerId - 1], pid));
    return null;
  }

  @Override
  public void heartbeat(int workerId, long pid, Heartbeat heartbeat) {
    thread.execute(() -> onHeartbeat(slots[workerId - 1], pid, heartbeat));
  }

  @Override
  public void draining(int workerId, long pid) {
    thread.execute(
        () -> {
          WorkerSlot slot = slots[workerId - 1];
          if (slot.pid == pid && slot.state == WorkerState.READY) {
            transition(slot, WorkerState.DRAINING, "the worker is shutting down by itself (SIGTERM?)");
          }
        });
  }

  @Override
  public void recycle(int workerId, long pid, String reason) {
    thread.execute(() -> recycleNow(slots[workerId - 1], pid, reason));
  }

  @Override
  public void disconnected(int workerId, long pid) {
    log.debug("worker {} (pid {}) disconnected", workerId, pid);
  }

  // ---- on the supervisor thread ----

  private void spawn(WorkerSlot slot) {
    spawn(slot, "spawned");
  }

  private void spawn(WorkerSlot slot, String reason) {
    if (stopping) {
      return;
    }
    try {
      Process p = launcher.start(slot.id);
      slot.process = p;
      slot.pid = p.pid();
      slot.spawnedAtNanos = System.nanoTime();
      slot.killing = false;
      slot.killedBecause = null;
      slot.lastHeartbeat = null;
      slotByPid.put(slot.pid, slot.id);
      slot.stdout = ProcessOutputPump.start(p.getInputStream(), slot.id, slot.pid, false, slot.logFile);
      slot.stderr = ProcessOutputPump.start(p.getErrorStream(), slot.id, slot.pid, true, slot.logFile);
      transition(slot, WorkerState.STARTING, reason);
      p.onExit().thenAcceptAsync(exited -> onExit(slot, exited), thread);
      long timeout = config.workerStartTimeout().toMillis();
      slot.startTimeout = thread.schedule(() -> onStartTimeout(slot, p), timeout, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      log.error("worker {}: cannot start a worker process: {}", slot.id, e.toString());
      scheduleRestart(slot, "cannot start: " + e.getMessage(), 0);
    }
  }

  private void onStartTimeout(WorkerSlot slot, Process p) {
    if (slot.process == p && slot.state == WorkerState.STARTING && p.isAlive()) {
      log.error(
          "worker {} (pid {}) did not register within {}; killing it (counts as a crash)",
          slot.id, slot.pid, config.workerStartTimeout());
      slot.killedBecause = "did not register within " + config.workerStartTimeout().toMillis() + " ms";
      kill(slot, p);
    }
  }

  private void onRegistered(WorkerSlot slot, long pid) {
    if (slot.pid != pid) {
      return;
    }
    if (slot.startTimeout != null) {
      slot.startTimeout.cancel(false);
    }
    slot.lastHeartbeatNanos = System.nanoTime();
    long ms = TimeUnit.NANOSECONDS.toMillis(slot.lastHeartbeatNanos - slot.spawnedAtNanos);
    transition(slot, WorkerState.READY, "registered " + ms + " ms after spawn");
    Process old = slot.retiring;
    if (old != null && old.isAlive()) {
      log.info("worker {} (pid {}): replacement ready; draining the recycled worker", slot.id, old.pid());
      connections.drain(old.pid());
      // A recycled worker that does not finish draining within the shutdown timeout (a hung
      // handler) is killed; its tasks are re-dispatched like any crashed worker's.
      thread.schedule(
          () -> {
            if (old.isAlive() && slot.retiring == old) {
              log.warn(
                  "worker {} (pid {}): recycled worker still draining after {}; killing it",
                  slot.id, old.pid(), config.shutdownTimeout());
              connections.disconnect(old.pid());
              old.destroy();
              thread.schedule(old::destroyForcibly, settings.killGrace().toMillis(), TimeUnit.MILLISECONDS);
            }
          },
          config.shutdownTimeout().toMillis(),
          TimeUnit.MILLISECONDS);
    }
    if (Arrays.stream(slots).allMatch(s -> s.state == WorkerState.READY)) {
      allReady.complete(null);
    }
  }

  private void onHeartbeat(WorkerSlot slot, long pid, Heartbeat heartbeat) {
    if (slot.pid != pid) {
      return;
    }
    slot.lastHeartbeatNanos = System.nanoTime();
    slot.lastHeartbeat = heartbeat;
    long maxRss = settings.maxWorkerRssBytes();
    if (maxRss > 0 && heartbeat.getRssBytes() > maxRss) {
      recycleNow(slot, pid, "resident memory " + (heartbeat.getRssBytes() >> 20) + " MiB exceeds " + (maxRss >> 20) + " MiB");
    }
  }

  private void checkHeartbeats() {
    long now = System.nanoTime();
    long timeout = settings.heartbeatTimeout().toNanos();
    for (WorkerSlot slot : slots) {
      boolean watched = slot.state == WorkerState.READY || slot.state == WorkerState.DRAINING;
      if (watched && !slot.killing && now - slot.lastHeartbeatNanos > timeout) {
        log.error(
            "worker {} (pid {}) sent no heartbeat for {} ms (timeout {}); killing it and re-dispatching its tasks",
            slot.id, slot.pid, TimeUnit.NANOSECONDS.toMillis(now - slot.lastHeartbeatNanos), settings.heartbeatTimeout());
        connections.disconnect(slot.pid);
        slot.killedBecause = "sent no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(now - slot.lastHeartbeatNanos) + " ms";
        kill(slot, slot.process);
      }
    }
  }

  /** SIGTERM now, SIGKILL after the grace period if it is still there. */
  private void kill(WorkerSlot slot, Process p) {
    slot.killing = true;
    p.destroy();
    thread.schedule(
        () -> {
          if (p.isAlive()) {
            log.warn("worker {} (pid {}) still alive {} after SIGTERM; sending SIGKILL", slot.id, p.pid(), settings.killGrace());
            p.destroyForcibly();
          }
        },
        settings.killGrace().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void recycleNow(WorkerSlot slot, long pid, String reason) {
    if (stopping || slot.pid != pid || slot.state != WorkerState.READY || slot.retiring != null) {
      return;
    }
    log.info("worker {} (pid {}): recycling: {}; starting its replacement first", slot.id, pid, reason);
    slot.retiring = slot.process;
    spawn(slot, "spawned to replace pid " + pid + ", recycled: " + reason);
  }

  private void onExit(WorkerSlot slot, Process exited) {
    slotByPid.remove(exited.pid());
    launcher.workerExited();
    int code = exited.exitValue();
    String how = code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
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
    if (slot.state == WorkerState.DRAINING && code == 0) {
      transition(slot, WorkerState.BACKING_OFF, "exited after draining by itself; restarting now");
      spawn(slot);
      return;
    }
    long now = System.nanoTime();
    long delay = slot.backoff.onCrash(now, now - slot.spawnedAtNanos);
    List<String> lastErr = slot.stderr == null ? List.of() : slot.stderr.lastLines();
    String cause =
        slot.killedBecause != null ? slot.killedBecause + ", killed (" + how + ")" : "exited unexpectedly (" + how + ")";
    String crash =
        cause
            + "; last stderr lines: "
            + (lastErr.isEmpty() ? "(none)" : String.join(" | ", lastErr));
    if (slot.backoff.inCrashLoop()) {
      log.error(
          "worker {} (pid {}) is crash-looping: {} crashes within {}; {}",
          slot.id, slot.pid, slot.backoff.recentCrashes(), settings.crashLoopWindow(), crash);
    } else {
      log.error("worker {} (pid {}) {}", slot.id, slot.pid, crash);
    }
    scheduleRestart(slot, cause, delay);
  }

  private void scheduleRestart(WorkerSlot slot, String why, long delayNanos) {
    WorkerState next = slot.backoff.inCrashLoop() ? WorkerState.CRASH_LOOP : WorkerState.BACKING_OFF;
    transition(slot, next, why + "; restart in " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms");
    if (delayNanos == 0) {
      thread.execute(() -> spawn(slot));
    } else {
      thread.schedule(() -> spawn(slot), delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void transition(WorkerSlot slot, WorkerState to, String reason) {
    WorkerState from = slot.state;
    slot.state = to;
    if (history.size() == HISTORY) {
      history.removeFirst();
    }
    history.addLast(
        new WorkerTransition(java.time.Instant.now(), System.nanoTime(), slot.id, slot.pid, from, to, reason));
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

  /** The pids of the live worker processes (for tests and status). */
  public List<Long> workerPids() {
    return List.copyOf(slotByPid.keySet());
  }

  /**
   * Waits up to {@code grace} for the workers to exit by themselves (the dispatcher has asked
   * them to drain), then sends SIGTERM, then SIGKILL; returns once every process is gone.
   */
  public void stop(Duration grace) {
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

  private <T> T onThread(java.util.concurrent.Callable<T> query, T fallback) {
    try {
      return thread.submit(query).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fallback;
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
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

  @Override
  public void close() {
    if (!stopping) {
      stop(Duration.ZERO);
    }
    thread.shutdown();
    for (WorkerSlot s : slots) {
      if (s.logFile != null) {
        s.logFile.close();
      }
    }
  }
}
