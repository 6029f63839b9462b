package io.drover.master.internal.control;

import io.drover.master.config.ConfigSource;
import io.drover.master.config.MasterConfig;
import io.drover.master.config.SettingKeys;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.internal.dispatch.Dispatcher;
import io.drover.master.internal.schedule.Schedulers;
import io.drover.master.internal.supervise.HandlerClasspath;
import io.drover.master.internal.supervise.WorkerMainClass;
import io.drover.master.internal.supervise.WorkerSupervisor;
import io.drover.master.status.ReloadOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies new settings to a running master: compares them with the running ones key by key
 * ({@link SettingKeys}) and hands each change to the thread that owns what it changes. Scheduling
 * and limits change on the dispatch loop at once; supervision settings on the supervisor thread;
 * the worker count by scaling; what workers run by a rolling restart; listening sockets not at all
 * (reported as needing a restart of the master). Settings that do not validate change nothing.
 *
 * <p>Reloads run one after another on {@code control} (the supervisor thread), which owns the
 * running settings, their generation and the last outcome.
 */
public final class Reconfiguration {
  private static final Logger log = LoggerFactory.getLogger(Reconfiguration.class);

  private final Dispatcher dispatcher;
  private final WorkerSupervisor supervisor;
  private final Executor control;
  private final ConfigSource source;
  private volatile MasterConfig running;
  private volatile int generation = 1;
  private volatile ReloadOutcome last;
  /** The ports' TLS, whose files each reload reads again; null before {@link #tls} is called. */
  private volatile io.drover.master.internal.transport.ServerTls tls;

  /**
   * @param source where {@link #reload()} reads the settings again; null when the master was given
   *     its settings as an object (only {@link #reload(MasterConfig)} works then)
   */
  public Reconfiguration(
      MasterConfig running, ConfigSource source, Dispatcher dispatcher, WorkerSupervisor supervisor, Executor control) {
    this.running = running;
    this.source = source;
    this.dispatcher = dispatcher;
    this.supervisor = supervisor;
    this.control = control;
  }

  /**
   * Makes each reload read the TLS files again (the certificate may have been renewed under the
   * same name): new connections then use them; a bad file refuses the reload.
   */
  public void tls(io.drover.master.internal.transport.ServerTls tls) {
    this.tls = tls;
  }

  /** The settings the master runs with now. */
  public MasterConfig running() {
    return running;
  }

  /** 1 at start-up, one more for each reload that changed something. */
  public int generation() {
    return generation;
  }

  /** The last reload's outcome, or null before any. */
  public ReloadOutcome lastReload() {
    return last;
  }

  /** Reads the settings again from the source and applies them. */
  public CompletableFuture<ReloadOutcome> reload() {
    Instant at = Instant.now();
    return CompletableFuture.supplyAsync(
            () -> {
              if (source == null) {
                throw new IllegalArgumentException(
                    "this master was started with settings, not from a configuration file: there is nothing to read again");
              }
              return source.load();
            },
            control)
        .handle((next, failure) -> failure == null ? apply(next, at) : CompletableFuture.completedFuture(refused(at, failure)))
        .thenCompose(f -> f);
  }

  /** Applies {@code next} as if a configuration file had said it. */
  public CompletableFuture<ReloadOutcome> reload(MasterConfig next) {
    Instant at = Instant.now();
    return CompletableFuture.supplyAsync(() -> apply(next, at), control).thenCompose(f -> f);
  }

  private ReloadOutcome refused(Instant at, Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String why = String.valueOf(cause.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; ");
    ReloadOutcome outcome = ReloadOutcome.failed(generation, at, why);
    last = outcome;
    log.error(outcome.summary());
    return outcome;
  }

  /** On the control thread: works out the changes, hands them to their owners, and records the outcome. */
  private CompletableFuture<ReloadOutcome> apply(MasterConfig requested, Instant at) {
    MasterConfig before = running;
    Map<String, List<String>> changed = new java.util.LinkedHashMap<>(SettingKeys.changed(before, requested));
    // The pool's size is compared with the pool as it is (drover scale may have changed it), and
    // left to the autoscaler when it is on.
    changed.remove("workers");
    int poolBefore = supervisor.poolSize();
    boolean poolChange = !requested.autoscale().enabled() && requested.workers() != poolBefore;
    // With TLS on, every reload reads the certificate files again, even under unchanged names.
    boolean tlsFiles = tls != null && (requested.tls().enabled() || before.tls().enabled());
    if (changed.isEmpty() && !poolChange && !tlsFiles) {
      ReloadOutcome outcome = new ReloadOutcome(generation, at, null, List.of(), List.of());
      last = outcome;
      log.info(outcome.summary());
      return CompletableFuture.completedFuture(outcome);
    }
    MasterConfig next;
    try {
      next = keepingListeners(before, requested);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(refused(at, e));
    }
    List<String> applied = new ArrayList<>();
    List<String> notApplied = new ArrayList<>();
    boolean workersChange = false;
    for (Map.Entry<String, List<String>> c : changed.entrySet()) {
      String line = c.getKey() + ": " + c.getValue().get(0) + " -> " + c.getValue().get(1);
      switch (SettingKeys.change(c.getKey())) {
        case MASTER -> notApplied.add(line);
        case WORKERS -> {
          workersChange = true;
          applied.add(line);
        }
        case POOL_SIZE -> {
          // Compared with the pool above.
        }
        case LIVE -> applied.add(line);
      }
    }
    if (workersChange) {
      String problem = HandlerClasspath.problem(next);
      if (problem == null) {
        problem = WorkerMainClass.problem(next);
      }
      if (problem != null) {
        return CompletableFuture.completedFuture(refused(at, new IllegalArgumentException(problem)));
      }
    }
    boolean settingsApplied = !applied.isEmpty();
    if (tlsFiles) {
      try {
        applied.add("tls: " + tls.reload(next.tls()));
      } catch (IllegalArgumentException e) {
        // The running contexts stay: connections keep coming in with the old certificate.
        return CompletableFuture.completedFuture(refused(at, e));
      }
    }
    if (!settingsApplied && !poolChange) {
      // Only settings that wait for a restart differ, or only the TLS files were read again:
      // nothing else to apply, no new generation.
      ReloadOutcome outcome = new ReloadOutcome(generation, at, null, applied, notApplied);
      last = outcome;
      if (notApplied.isEmpty()) {
        log.info(outcome.summary());
      } else {
        log.warn(outcome.summary());
      }
      return CompletableFuture.completedFuture(outcome);
    }
    running = next;
    generation++;
    applyLogLevels(before, next);
    CompletableFuture<Void> supervision = supervisor.reconfigure(next);
    CompletableFuture<Void> dispatch = new CompletableFuture<>();
    dispatcher.execute(
        () -> {
          try {
            applyToDispatcher(before, next);
            dispatch.complete(null);
          } catch (RuntimeException e) {
            dispatch.completeExceptionally(e);
          }
        });
    CompletableFuture<String> pool =
        poolChange ? supervisor.scale(next.workers()) : CompletableFuture.completedFuture(null);
    List<String> workers = changed.keySet().stream().filter(k -> SettingKeys.change(k) == SettingKeys.Change.WORKERS).toList();
    int gen = generation;
    boolean rolling = workersChange;
    return CompletableFuture.allOf(supervision, dispatch, pool)
        .thenApply(
            ignored -> {
              if (pool.join() != null) {
                applied.add("workers: " + poolBefore + " -> " + next.workers() + " (" + pool.join() + ")");
              }
              if (rolling) {
                // Followed in status; not waited for: a rollout takes as long as the workers need.
                supervisor.rollingRestart(null, "settings changed: " + String.join(", ", workers));
                applied.add("rolling restart of the workers begun");
              }
              ReloadOutcome outcome = new ReloadOutcome(gen, at, null, applied, notApplied);
              last = outcome;
              log.info(outcome.summary());
              return outcome;
            });
  }

  /** Log levels, on the control thread (Logback's loggers take it from any thread). */
  private static void applyLogLevels(MasterConfig before, MasterConfig next) {
    if (!before.logLevels().equals(next.logLevels())) {
      io.drover.master.internal.logging.LogLevels.apply(before.logLevels(), next.logLevels());
    }
  }

  /** On the dispatch loop: the scheduling and admission settings of {@code next}. */
  private void applyToDispatcher(MasterConfig before, MasterConfig next) {
    if (before.scheduler() != next.scheduler()) {
      dispatcher.scheduler(Schedulers.create(next.scheduler()));
    }
    dispatcher.limits(next.maxQueuedTasks(), next.maxQueuedBytes(), next.maxInFlightPerConnection());
    dispatcher.pauseWhenQueueFull(next.queueFullPolicy() == io.drover.master.config.QueueFullPolicy.PAUSE);
    dispatcher.inFlightLimit(next.inFlightLimit());
    dispatcher.maxAttempts(next.maxAttempts());
    dispatcher.cancelGraceMillis(next.supervision().cancelGrace().toMillis());
    dispatcher.recycleAfterTasks(next.supervision().maxTasksPerWorker());
    if (!before.auth().equals(next.auth())) {
      dispatcher.tenants(next.auth());
    }
  }


  /**
   * {@code next} with the settings only a restart of the master takes (listening addresses, frame
   * limit, admin endpoint, inline mode, worker log files, connection limits) kept as they run.
   */
  static MasterConfig keepingListeners(MasterConfig running, MasterConfig next) {
    SupervisionSettings s = next.supervision();
    SupervisionSettings r = running.supervision();
    SupervisionSettings supervision =
        new SupervisionSettings(
            s.restartBackoffInitial(),
            s.restartBackoffMax(),
            s.restartResetAfter(),
            s.crashLoopThreshold(),
            s.crashLoopWindow(),
            s.heartbeatInterval(),
            s.heartbeatTimeout(),
            s.killGrace(),
            s.cancelGrace(),
            s.maxTasksPerWorker(),
            s.maxWorkerRssBytes(),
            r.workerLogDirectory(),
            r.workerLogMaxBytes(),
            s.workerEnvironment(),
            s.workerDirectory());
    return new MasterConfig(
        running.host(),
        running.port(),
        next.workers(),
        next.workerCapacity(),
        next.inFlightLimit(),
        running.maxFrameBytes(),
        next.workerRuntimeClasspath(),
        next.workerClasspath(),
        next.workerMainClass(),
        next.workerJvmOptions(),
        next.workerStartTimeout(),
        running.keepWaitingForWorkers(),
        next.shutdownTimeout(),
        next.maxAttempts(),
        running.runtimeDirectoryParent(),
        next.workerClassDataDirectory(),
        next.maxQueuedTasks(),
        next.maxQueuedBytes(),
        next.maxInFlightPerConnection(),
        next.queueFullPolicy(),
        next.scheduler(),
        supervision,
        running.inline(),
        running.adminHost(),
        running.adminPort(),
        next.autoscale(),
        running.adminTokenFile(),
        next.logLevels(),
        next.workerLimits(),
        running.reusePort(),
        new io.drover.master.config.TlsSettings(
            next.tls().certificate(), next.tls().privateKey(), next.tls().clientCa(), next.tls().clientAuth(), running.tls().admin()),
        running.connectionLimits(),
        next.auth(),
        running.sharedMemory());
  }
}
