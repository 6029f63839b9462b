package io.drover.master.supervise;

import io.drover.master.config.MasterConfig;
import io.drover.master.dispatch.WorkerRegistry;
import io.drover.master.transport.PeerVerifier;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Spawns the worker JVMs, tells the dispatcher which connecting processes are genuine, notices
 * exits and starts replacements.
 *
 * <p>Slot state is owned by one supervisor thread. The dispatch loop asks {@link #verify} and
 * {@link #registered} from its own thread; both read only the concurrent map of spawned pids and
 * hand any state change to the supervisor thread.
 */
public final class WorkerSupervisor implements WorkerRegistry, PeerVerifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerSupervisor.class);
  private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final MasterConfig config;
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
  private volatile boolean stopping;

  /** Creates a supervisor for {@code config.workers()} slots using the socket in {@code dir}. */
  public WorkerSupervisor(MasterConfig config, RuntimeDirectory dir) {
    this.config = config;
    this.ownerUid = dir.ownerUid();
    this.launcher = new WorkerLauncher(config, dir.workerSocket());
    this.slots = new WorkerSlot[config.workers()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new WorkerSlot(i + 1);
    }
  }

  /** Spawns every worker. */
  public void start() {
    thread.execute(
        () -> {
          for (WorkerSlot slot : slots) {
            spawn(slot);
          }
        });
  }

  /**
   * Waits until every worker has registered.
   *
   * @throws TimeoutException if some have not after {@code timeout}
   * @throws IllegalStateException if a worker exited before registering
   */
  public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      allReady.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "workers not registered within " + timeout + ": " + describeSlots());
    }
  }

  private String describeSlots() {
    try {
      return thread.submit(
              () ->
                  java.util.Arrays.stream(slots)
                      .map(s -> s + " " + s.state)
                      .collect(Collectors.joining(", ")))
          .get(1, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "(unavailable: " + e + ")";
    }
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
  public void disconnected(int workerId, long pid) {
    log.debug("worker {} (pid {}) disconnected", workerId, pid);
  }

  // ---- on the supervisor thread ----

  private void spawn(WorkerSlot slot) {
    if (stopping) {
      return;
    }
    try {
      Process p = launcher.start(slot.id);
      slot.process = p;
      slot.pid = p.pid();
      slot.spawnedAtNanos = System.nanoTime();
      slotByPid.put(slot.pid, slot.id);
      slot.stdout = ProcessOutputPump.start(p.getInputStream(), slot.id, slot.pid, false);
      slot.stderr = ProcessOutputPump.start(p.getErrorStream(), slot.id, slot.pid, true);
      transition(slot, WorkerState.STARTING, "spawned");
      p.onExit().thenAcceptAsync(exited -> onExit(slot, exited), thread);
    } catch (IOException e) {
      log.error("worker {}: cannot start a worker process: {}", slot.id, e.toString());
      allReady.completeExceptionally(
          new IllegalStateException("cannot start worker " + slot.id + ": " + e.getMessage(), e));
    }
  }

  private void onRegistered(WorkerSlot slot, long pid) {
    if (slot.pid != pid) {
      return;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slot.spawnedAtNanos);
    transition(slot, WorkerState.READY, "registered " + ms + " ms after spawn");
    if (java.util.Arrays.stream(slots).allMatch(s -> s.state == WorkerState.READY)) {
      allReady.complete(null);
    }
  }

  private void onExit(WorkerSlot slot, Process exited) {
    if (slot.process != exited) {
      return;
    }
    slotByPid.remove(slot.pid);
    launcher.workerExited();
    int code = exited.exitValue();
    String how = code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
    if (stopping) {
      transition(slot, WorkerState.STOPPED, "exited (" + how + ")");
      return;
    }
    boolean neverReady = slot.state == WorkerState.STARTING;
    List<String> lastErr = slot.stderr == null ? List.of() : slot.stderr.lastLines();
    log.error(
        "worker {} (pid {}) exited unexpectedly ({}); last stderr lines: {}",
        slot.id,
        slot.pid,
        how,
        lastErr.isEmpty() ? "(none)" : String.join(" | ", lastErr));
    if (neverReady && !allReady.isDone()) {
      allReady.completeExceptionally(
          new IllegalStateException(
              "worker " + slot.id + " exited (" + how + ") before registering; last stderr: "
                  + String.join(" | ", lastErr)));
    }
    transition(slot, WorkerState.BACKING_OFF, "restart in " + RESTART_DELAY.toMillis() + " ms");
    thread.schedule(() -> spawn(slot), RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void transition(WorkerSlot slot, WorkerState to, String reason) {
    WorkerState from = slot.state;
    slot.state = to;
    log.info("worker {} (pid {}): {} -> {}: {}", slot.id, slot.pid, from, to, reason);
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
    List<Process> live;
    try {
      live = thread.submit(() -> java.util.Arrays.stream(slots)
              .map(s -> s.process)
              .filter(p -> p != null && p.isAlive())
              .toList()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      live = List.of();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    waitFor(live, grace);
    live.stream().filter(Process::isAlive).forEach(Process::destroy);
    waitFor(live, STOP_GRACE);
    live.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    waitFor(live, STOP_GRACE);
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
  }
}
