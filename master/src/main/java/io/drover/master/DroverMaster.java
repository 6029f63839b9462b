package io.drover.master;

import io.drover.master.config.MasterConfig;
import io.drover.master.internal.admin.AdminRoutes;
import io.drover.master.internal.admin.AdminServer;
import io.drover.master.internal.dispatch.Dispatcher;
import io.drover.master.internal.dispatch.WorkerRegistry;
import io.drover.master.status.WorkerSnapshot;
import io.drover.master.internal.inline.InlineHandlers;
import io.drover.master.internal.inline.InlineRegistry;
import io.drover.master.internal.inline.InlineWorker;
import io.drover.master.internal.logging.LogRing;
import io.drover.master.internal.logging.LogbackCapture;
import io.drover.master.internal.supervise.HandlerClasspath;
import io.drover.master.internal.supervise.RuntimeDirectory;
import io.drover.master.internal.supervise.WorkerConnections;
import io.drover.master.internal.supervise.WorkerMainClass;
import io.drover.master.internal.supervise.WorkerSupervisor;
import io.drover.master.internal.transport.BatchFlusher;
import io.drover.master.internal.transport.ListenSocket;
import io.drover.master.internal.transport.MasterServer;
import io.drover.master.internal.upgrade.InheritedSockets;
import io.drover.master.internal.upgrade.MasterUpgrade;
import io.drover.master.internal.upgrade.ProcessCommandLine;
import io.drover.master.internal.upgrade.SystemdNotifier;
import io.drover.master.internal.upgrade.UpgradeException;
import io.drover.master.internal.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Drover master: the client and worker servers, the dispatcher and the worker
 * supervisor, started together by {@link #start} and stopped together by {@link #close}.
 */
public final class DroverMaster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DroverMaster.class);
  /** How long shutdown waits for drained workers to exit before it signals them. */
  private static final Duration WORKER_EXIT_GRACE = Duration.ofSeconds(5);
  /** How long shutdown waits for the event loop to finish its last work. */
  private static final Duration LOOP_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  /** The settings it started with; {@link #config()} gives those it runs with now. */
  private final MasterConfig config;
  private final MultiThreadIoEventLoopGroup group;
  private volatile io.drover.master.internal.control.Reconfiguration reconfiguration;
  /** The ports' TLS contexts, which a reload reads again. */
  private io.drover.master.internal.transport.ServerTls tls;
  /** Sizes the pool when the settings ask it to; null for an inline master. */
  private volatile io.drover.master.internal.control.AutoscaleDriver autoscaler;
  private final RuntimeDirectory runtimeDirectory;
  private final WorkerSupervisor supervisor;
  private final Dispatcher dispatcher;
  private final MasterServer server;
  /** The admin HTTP endpoint, or null when it is off. */
  private final AdminServer admin;
  /** Copies the master's log lines into the ring {@code /logs} reads, while the master runs. */
  private final AutoCloseable logCapture;
  private final AtomicBoolean closed;
  private final CountDownLatch terminated = new CountDownLatch(1);
  /** Tells systemd (Type=notify) that the master serves or stops; silent outside systemd. */
  private final SystemdNotifier systemd;
  /** Starts this master's successor; null until {@link #enableUpgrades}. */
  private volatile MasterUpgrade upgrade;
  /** The pid of the master this one replaced, or 0. */
  private final long upgradedFrom;
  /** Set once this master has handed its sockets to a successor: its stop is not the service's. */
  private volatile boolean handedOver;

  private DroverMaster(
      MasterConfig config,
      MultiThreadIoEventLoopGroup group,
      RuntimeDirectory runtimeDirectory,
      WorkerSupervisor supervisor,
      Dispatcher dispatcher,
      MasterServer server,
      AdminServer admin,
      AutoCloseable logCapture,
      AtomicBoolean closed,
      SystemdNotifier systemd,
      long upgradedFrom) {
    this.systemd = systemd;
    this.upgradedFrom = upgradedFrom;
    this.admin = admin;
    this.logCapture = logCapture;
    this.closed = closed;
    this.config = config;
    this.group = group;
    this.runtimeDirectory = runtimeDirectory;
    this.supervisor = supervisor;
    this.dispatcher = dispatcher;
    this.server = server;
  }

  /**
   * Checks the handler jars, binds the servers, spawns the workers and returns once every worker
   * has registered, or after the worker start timeout with a warning if some are ready (those
   * that fail keep being restarted with backoff, as a process manager would).
   *
   * @throws MasterStartException before anything is spawned when a worker classpath entry does
   *     not exist, is not a jar or lists no handler, or does not hold the worker main class; or when no worker became ready within the
   *     start timeout (or every worker failed before registering), unless {@link
   *     MasterConfig#keepWaitingForWorkers()}; nothing is left running
   * @throws IOException when a socket or the runtime directory cannot be created
   */
  public static DroverMaster start(MasterConfig config) throws IOException, InterruptedException {
    String classpathProblem = HandlerClasspath.problem(config);
    if (classpathProblem == null) {
      classpathProblem = WorkerMainClass.problem(config);
    }
    if (classpathProblem != null) {
      throw new MasterStartException(classpathProblem);
    }
    io.drover.master.internal.logging.LogLevels.apply(java.util.Map.of(), config.logLevels());
    // Checked before anything starts: a bad certificate or key refuses the start, naming the file.
    io.drover.master.internal.transport.ServerTls tls;
    try {
      tls = io.drover.master.internal.transport.ServerTls.load(config.tls());
    } catch (IllegalArgumentException e) {
      throw new MasterStartException(e.getMessage());
    }
    Transport transport = Transport.best();
    if (config.reusePort() && transport != Transport.EPOLL) {
      throw new MasterStartException(
          "--reuse-port needs the epoll transport (Linux, with netty-transport-native-epoll for this machine);"
              + " this master would run on " + transport.name().toLowerCase(java.util.Locale.ROOT));
    }
    MultiThreadIoEventLoopGroup group = transport.newEventLoopGroup(1, "drover-master");
    RuntimeDirectory dir = null;
    WorkerSupervisor supervisor = null;
    MasterServer server = null;
    AdminServer admin = null;
    // The last lines of the master's log and its workers' output, for GET /logs.
    LogRing logs = new LogRing();
    AutoCloseable logCapture = config.adminEnabled() ? LogbackCapture.attach(logs) : () -> {};
    AtomicBoolean closed = new AtomicBoolean();
    int ready = 0;
    InheritedSockets inherited = null;
    io.drover.master.internal.shm.PayloadRegion payloadRegion = null;
    try {
      EventLoop loop = group.next();
      inherited = InheritedSockets.fromEnvironment(group);
      dir = RuntimeDirectory.create(config.runtimeDirectoryParent());
      supervisor = new WorkerSupervisor(config, dir, logs);
      Dispatcher dispatcher =
          new Dispatcher(
              loop,
              io.drover.master.internal.schedule.Schedulers.create(config.scheduler()),
              config.inline() ? InlineRegistry.INSTANCE : registryOf(supervisor),
              config.inFlightLimit(),
              config.maxAttempts());
      dispatcher.limits(config.maxQueuedTasks(), config.maxQueuedBytes(), config.maxInFlightPerConnection());
      dispatcher.pauseWhenQueueFull(config.queueFullPolicy() == io.drover.master.config.QueueFullPolicy.PAUSE);
      dispatcher.tenants(config.auth());
      dispatcher.maxFrameBytes(config.maxFrameBytes());
      dispatcher.cancelGraceMillis(config.supervision().cancelGrace().toMillis());
      dispatcher.handlerSource(HandlerClasspath.describe(config));
      // Beside the task path: tasks that wait on stop pinning the buffers their frames were read into.
      loop.scheduleWithFixedDelay(dispatcher::compactWaitingPayloads, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
      if (config.sharedMemory().enabled() && !config.inline()) {
        payloadRegion =
            io.drover.master.internal.shm.PayloadRegion.create(
                io.drover.protocol.shm.RegionFile.DEFAULT_DIRECTORY,
                config.sharedMemory().regionBytes(),
                config.sharedMemory().thresholdBytes());
        dispatcher.payloadRegion(payloadRegion);
      }
      BatchFlusher flusher = new BatchFlusher(loop);
      server =
          MasterServer.bind(
              transport,
              loop,
              flusher,
              inherited != null ? ListenSocket.inherited(inherited.clientFd()) : ListenSocket.bind(config.host(), config.port()).reusePort(config.reusePort()),
              dir.workerSocket(),
              config.maxFrameBytes(),
              dispatcher.clientPort(),
              dispatcher.workerPort(),
              supervisor::verify,
              tls,
              config.connectionLimits());
      MasterStatusSource statusSource =
          config.adminEnabled() ? new MasterStatusSource(config, transport.name(), dispatcher, supervisor, server, closed) : null;
      DeferredControl control = new DeferredControl();
      admin =
          startAdmin(
              config,
              transport,
              inherited != null ? ListenSocket.inherited(inherited.adminFd()) : ListenSocket.bind(config.adminHost(), config.adminPort()),
              statusSource,
              control,
              server,
              dir,
              logs,
              tls);
      if (!transport.hasPeerCredentials()) {
        log.warn("{} transport: worker peers cannot be checked by pid; relying on the 0700 runtime directory", transport);
      }
      if (config.inline()) {
        InlineWorker inline =
            new InlineWorker(
                loop,
                dispatcher,
                InlineHandlers.load(config.workerClasspath()),
                config.workerCapacity(),
                config.maxFrameBytes());
        loop.submit(inline::attach).sync();
        log.warn("inline mode: handlers run inside the master, without worker processes or isolation");
      } else {
        dispatcher.recycleAfterTasks(config.supervision().maxTasksPerWorker());
        supervisor.start(connectionsOf(dispatcher));
        ready = awaitWorkers(config, supervisor);
      }
      SystemdNotifier systemd = SystemdNotifier.fromEnvironment(group);
      if (inherited != null) {
        // Ready: the old master stops accepting, then says GO; only then does this one accept.
        inherited.readyThenAwaitGo();
        server.startAcceptingClients();
        if (admin != null) {
          admin.startAccepting();
        }
        inherited.close();
        systemd.mainProcessAndReady();
      } else {
        systemd.ready();
      }
      DroverMaster master =
          new DroverMaster(
              config, group, dir, supervisor, dispatcher, server, admin, logCapture, closed, systemd, inherited == null ? 0 : inherited.oldMasterPid());
      if (statusSource != null) {
        statusSource.running(master::config);
        statusSource.control(master::controlStatus);
      }
      master.tls = tls;
      control.master(master);
      if (!config.inline()) {
        master.autoscaler = new io.drover.master.internal.control.AutoscaleDriver(dispatcher, supervisor, master::config);
      }
      log.info(
          "Drover master listening on {} with {} ({} transport, runtime directory {})",
          server.clientAddress(),
          config.inline()
              ? "inline handlers"
              : ready == config.workers()
                  ? config.workers() + " workers"
                  : ready + " of " + config.workers() + " workers ready (restarting the others)",
          transport.name().toLowerCase(java.util.Locale.ROOT),
          dir.path());
      return master;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (inherited != null) {
        inherited.failed(e.getMessage() == null ? e.toString() : e.getMessage());
        inherited.close();
      }
      // The order of close(): workers, servers and loop, then the supervisor's thread.
      if (supervisor != null) {
        supervisor.stop(Duration.ZERO);
      }
      if (server != null) {
        server.close();
      }
      if (admin != null) {
        admin.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      if (supervisor != null) {
        supervisor.close();
      }
      if (dir != null) {
        dir.close();
      }
      if (payloadRegion != null) {
        payloadRegion.close();
      }
      closeQuietly(logCapture);
      throw e;
    }
  }

  /**
   * Starts the admin endpoint (null when the config turns it off), before the workers, so that a
   * probe sees the master start: {@code /readyz} answers 503 until the first worker is ready.
   */
  private static AdminServer startAdmin(
      MasterConfig config,
      Transport transport,
      ListenSocket socket,
      MasterStatusSource source,
      DeferredControl control,
      MasterServer server,
      RuntimeDirectory dir,
      LogRing logs,
      io.drover.master.internal.transport.ServerTls tls)
      throws IOException {
    if (source == null) {
      return null;
    }
    String token = io.drover.master.internal.admin.AdminToken.create(dir.path(), config.adminTokenFile());
    boolean beyondLoopback = !java.net.InetAddress.getByName(config.adminHost()).isLoopbackAddress();
    io.drover.master.internal.admin.AdminAuthorization authorization =
        new io.drover.master.internal.admin.AdminAuthorization(token, beyondLoopback);
    AdminServer admin =
        AdminServer.start(
            transport,
            socket,
            loop -> AdminRoutes.standard(source, logs, control, authorization, loop),
            tls);
    if (beyondLoopback) {
      log.warn("admin endpoint on {}, beyond loopback: every request needs the admin token (Authorization: Bearer)", config.adminHost());
    }
    InetSocketAddress bound = admin.address();
    String address = bound.getHostString() + ":" + bound.getPort();
    source.addresses(
        server.clientAddress().getHostString() + ":" + server.clientAddress().getPort(), dir.workerSocket().toString(), address);
    // Not "listening on": scripts wait for the master's own line with those words.
    log.info("admin endpoint at {}://{} ({})", tls.adminTls() ? "https" : "http", address, String.join(", ", admin.paths()));
    return admin;
  }

  /**
   * Waits for the workers at start-up and returns how many are ready. None ready fails the
   * start, with why the workers failed, unless the config asks to keep waiting: then, like PM2 or
   * systemd, the master serves and keeps restarting them.
   */
  private static int awaitWorkers(MasterConfig config, WorkerSupervisor supervisor)
      throws InterruptedException, MasterStartException {
    Duration timeout = config.workerStartTimeout();
    int ready = config.keepWaitingForWorkers() ? awaitAll(supervisor, timeout) : supervisor.awaitStart(timeout);
    if (ready == config.workers()) {
      return ready;
    }
    if (ready == 0 && !config.keepWaitingForWorkers()) {
      throw new MasterStartException(
          (supervisor.everyStartFailed() ? "every worker failed at start-up: " : "no worker became ready within " + readable(timeout) + ": ")
              + supervisor.startFailures()
              + " (--keep-waiting-for-workers serves anyway)");
    }
    log.warn(
        "{} of {} workers ready at start-up; serving with {} and restarting the others: {}",
        ready, config.workers(), ready == 0 ? "none (--keep-waiting-for-workers)" : "them", supervisor.startFailures());
    return ready;
  }

  /** The old wait: for every worker, up to {@code timeout}, however many fail meanwhile. */
  private static int awaitAll(WorkerSupervisor supervisor, Duration timeout) throws InterruptedException {
    try {
      supervisor.awaitReady(timeout);
    } catch (TimeoutException e) {
      // Told below, with how many are ready.
    }
    return supervisor.readyWorkers();
  }

  /** {@code 30 s} or {@code 1500 ms}, as people read them. */
  private static String readable(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /**
   * What the dispatcher tells the supervisor. The two meet only here, through each other's small
   * interfaces, so that neither package depends on the other.
   */
  private static WorkerRegistry registryOf(WorkerSupervisor supervisor) {
    return new WorkerRegistry() {
      @Override
      public String registered(int workerId, long pid, int capacity, List<String> taskTypes) {
        return supervisor.registered(workerId, pid, capacity, taskTypes);
      }

      @Override
      public void heartbeat(int workerId, long pid, io.drover.protocol.proto.Heartbeat heartbeat) {
        supervisor.heartbeat(workerId, pid, heartbeat);
      }

      @Override
      public void draining(int workerId, long pid) {
        supervisor.draining(workerId, pid);
      }

      @Override
      public void recycle(int workerId, long pid, String reason) {
        supervisor.recycle(workerId, pid, reason);
      }

      @Override
      public void disconnected(int workerId, long pid) {
        supervisor.disconnected(workerId, pid);
      }
    };
  }

  /** How the supervisor reaches worker connections: through the dispatcher, on its loop. */
  private static WorkerConnections connectionsOf(Dispatcher dispatcher) {
    return new WorkerConnections() {
      @Override
      public void disconnect(long pid) {
        dispatcher.disconnect(pid);
      }

      @Override
      public void drain(long pid) {
        dispatcher.drain(pid);
      }

      @Override
      public void execute(Runnable task) {
        dispatcher.execute(task);
      }
    };
  }

  /** The address clients connect to. */
  public InetSocketAddress clientAddress() {
    return server.clientAddress();
  }

  /** The Unix domain socket workers connect to. */
  public java.nio.file.Path workerSocket() {
    return runtimeDirectory.workerSocket();
  }

  /** The address of the admin HTTP endpoint, or null when it is off. */
  public InetSocketAddress adminAddress() {
    return admin == null ? null : admin.address();
  }

  /** The settings this master runs with now (those it started with, changed by reloads). */
  public MasterConfig config() {
    return reconfiguration == null ? config : reconfiguration.running();
  }

  /**
   * Where {@link #reload()} reads the settings again ({@code drover master --config FILE} passes
   * its file and command line); without one, only {@link #reload(MasterConfig)} works.
   */
  public void configSource(io.drover.master.config.ConfigSource source) {
    if (!config.inline()) {
      reconfiguration = new io.drover.master.internal.control.Reconfiguration(config(), source, dispatcher, supervisor, supervisor.controlExecutor());
      reconfiguration.tls(tls);
    }
  }

  private io.drover.master.internal.control.Reconfiguration reconfiguration() {
    if (config.inline()) {
      throw new IllegalStateException("an inline master cannot reload: restart it");
    }
    if (reconfiguration == null) {
      configSource(null);
    }
    return reconfiguration;
  }

  /**
   * Reads the settings again from the {@linkplain #configSource source} and applies what changed
   * (SIGHUP, {@code drover reload}): scheduling, limits and supervision at once, the worker count
   * by scaling, what workers run by a rolling restart; settings that only a restart of the master
   * takes are reported, not applied. Settings that do not validate change nothing: the outcome
   * says why. Never fails for the settings' sake.
   */
  public java.util.concurrent.CompletionStage<io.drover.master.status.ReloadOutcome> reload() {
    return reconfiguration().reload();
  }

  /** Applies {@code next} as a reload would (see {@link #reload()}). */
  public java.util.concurrent.CompletionStage<io.drover.master.status.ReloadOutcome> reload(MasterConfig next) {
    return reconfiguration().reload(next);
  }

  /** The settings' generation: 1 at start-up, one more for each reload that changed something. */
  public int configGeneration() {
    return reconfiguration == null ? 1 : reconfiguration.generation();
  }

  /** The last reload's outcome, or null before any. */
  public io.drover.master.status.ReloadOutcome lastReload() {
    return reconfiguration == null ? null : reconfiguration.lastReload();
  }

  /**
   * Replaces the workers one at a time, each replacement ready before its worker drains (only
   * worker {@code workerId} if not null): for handler jars changed on disk. Completes when every
   * worker is replaced, or fails with why the rollout stopped (a replacement that does not start;
   * the old worker keeps serving).
   */
  public java.util.concurrent.CompletionStage<String> restartWorkers(Integer workerId) {
    if (config.inline()) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new IllegalStateException("an inline master runs its handlers itself: it has no workers to restart"));
    }
    return supervisor.rollingRestart(workerId, workerId == null ? "drover restart" : "drover restart --worker " + workerId);
  }

  /** Begins a rolling restart like {@link #restartWorkers} and completes once it has begun. */
  public java.util.concurrent.CompletionStage<String> beginRestartingWorkers(Integer workerId) {
    if (config.inline()) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new IllegalStateException("an inline master runs its handlers itself: it has no workers to restart"));
    }
    return supervisor.beginRollingRestart(workerId, workerId == null ? "drover restart" : "drover restart --worker " + workerId);
  }

  /**
   * Lets {@link #upgrade} start a successor that runs {@code commandLine} (this process's, as
   * {@code drover master} was started). Without it an upgrade is refused: an embedded master is
   * part of a larger program that it cannot restart.
   */
  public void enableUpgrades(ProcessCommandLine commandLine) {
    if (admin == null) {
      throw new IllegalStateException("upgrades are asked for through the admin endpoint, which is off");
    }
    upgrade = new MasterUpgrade(commandLine, runtimeDirectory.path(), group, server, admin, this::handOver);
  }

  /**
   * Starts a new master that takes this one's place without closing its sockets (another jar when
   * {@code jar} is not null); completes with one line once the new master runs. Its progress and
   * outcome are {@link #upgradeStatus()}; once the new master is ready, this one stops.
   */
  public CompletionStage<String> upgrade(Path jar, Duration timeout) {
    MasterUpgrade u = upgrade;
    if (u == null) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new UpgradeException(UpgradeException.Kind.CONFLICT, "this master cannot be upgraded in place: it was not started by drover master"));
    }
    if (closed.get()) {
      return java.util.concurrent.CompletableFuture.failedFuture(new UpgradeException(UpgradeException.Kind.CONFLICT, "the master is shutting down"));
    }
    return u.start(jar, timeout);
  }

  /** The last upgrade's progress or outcome, or (for a master that replaced another) where it came from; null otherwise. */
  public String upgradeStatus() {
    MasterUpgrade u = upgrade;
    String line = u == null ? null : u.status();
    if (line == null && upgradedFrom != 0) {
      return "upgraded from master pid " + upgradedFrom;
    }
    return line;
  }

  /** The successor accepts: tell the clients to move, finish the tasks, stop. */
  private void handOver() {
    handedOver = true;
    dispatcher.goAway("the master is being upgraded");
    close();
  }

  /** How the master's settings and pool have been changed, for status; null for an inline master. */
  public io.drover.master.status.ControlStatus controlStatus() {
    if (config.inline()) {
      return null;
    }
    io.drover.master.config.AutoscaleSettings a = config().autoscale();
    return new io.drover.master.status.ControlStatus(
        configGeneration(), lastReload(), rolloutStatus(), poolSize(), a.min(), a.max(), autoscaleDecisions(), lastAutoscaleDecision(), upgradeStatus());
  }

  /** Autoscaling decisions taken so far. */
  public long autoscaleDecisions() {
    return autoscaler == null ? 0 : autoscaler.decisions();
  }

  /** The last autoscaling decision ({@code "1 -> 4 workers: load 3.20 per unit ..."}), or null. */
  public String lastAutoscaleDecision() {
    return autoscaler == null ? null : autoscaler.lastDecision();
  }

  /** The last rolling restart's outcome, or the one in progress; null before any. */
  public String rolloutStatus() {
    return config.inline() ? null : supervisor.rolloutStatus();
  }

  /** The registered workers, as the dispatcher sees them now. */
  public List<WorkerSnapshot> workers() {
    return onLoop(dispatcher::workers);
  }

  /** The shared-memory payload region's figures, or null when shared memory is off. */
  public io.drover.master.status.SharedMemorySnapshot sharedMemory() {
    return onLoop(dispatcher::sharedMemory);
  }

  /** Tasks accepted and not yet answered. */
  public int tasksInProgress() {
    return onLoop(dispatcher::tasksInProgress);
  }

  /** The most recent worker state transitions (up to 1,000), oldest first. */
  public List<io.drover.master.status.WorkerTransition> workerTransitions() {
    return supervisor.transitions();
  }

  /** The state of worker slot {@code id} (1-based). */
  public io.drover.master.status.WorkerState workerState(int id) {
    return supervisor.state(id);
  }

  /**
   * Grows or shrinks the pool of worker JVMs to {@code workers} (1..1024) while tasks flow: new
   * workers start at once; removed ones are drained first (no new tasks, the running ones finish),
   * so no task fails for it. Completes with one line saying what was done, once the change has
   * begun (the new workers may not be ready yet: {@link #workers()} and the status say when).
   *
   * @throws IllegalArgumentException {@code workers} out of range
   */
  public java.util.concurrent.CompletionStage<String> scale(int workers) {
    if (config.inline()) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new IllegalStateException("an inline master runs its handlers itself: it has no workers to scale"));
    }
    return supervisor.scale(workers);
  }

  /** How many workers the pool has, ready or not: the configured count, or the last scale's. */
  public int poolSize() {
    return config.inline() ? 0 : supervisor.poolSize();
  }

  /** The pids of the live worker processes. */
  public List<Long> workerPids() {
    return supervisor.workerPids();
  }

  /**
   * Runs {@code task} on the dispatch loop. Only for tests, which stall the loop on purpose to
   * check that the master does not blame its workers for its own pauses.
   */
  java.util.concurrent.Future<?> runOnDispatchLoop(Runnable task) {
    return dispatcher.loop().submit(task);
  }

  private <T> T onLoop(java.util.concurrent.Callable<T> query) {
    try {
      return dispatcher.loop().submit(query).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("dispatcher query failed", e);
    }
  }

  /**
   * Shuts down gracefully: stops accepting connections, answers new tasks with {@code
   * SHUTTING_DOWN}, waits up to the shutdown timeout for tasks in progress, then drains and stops
   * the workers. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      awaitTermination();
      return;
    }
    if (!handedOver) {
      systemd.stopping();
      MasterUpgrade u = upgrade;
      if (u != null) {
        u.callOff("the master is shutting down");
      }
    }
    log.info(
        "shutting down: no new connections or tasks; waiting up to {} for tasks in progress",
        io.drover.protocol.HumanUnits.duration(config().shutdownTimeout()));
    if (autoscaler != null) {
      autoscaler.close();
    }
    try {
      // First: a worker that dies from here on (Ctrl-C reaches the workers too) is not replaced,
      // so that none of its tasks runs again on a worker the shutdown itself brought up.
      supervisor.beginShutdown();
      server.stopAcceptingClients();
      // Clients move to another master (reuse-port, or the upgrade's new one) for new work, while
      // this one answers what they sent it; the upgrade has said why already (the first reason stays).
      dispatcher.goAway("the master is shutting down");
      dispatcher.loop().execute(dispatcher::beginShutdown);
      long deadline = System.nanoTime() + config().shutdownTimeout().toNanos();
      int left;
      while ((left = tasksInProgress()) > 0 && System.nanoTime() < deadline) {
        dispatcher.loop().schedule(() -> null, 20, TimeUnit.MILLISECONDS).syncUninterruptibly();
      }
      if (left > 0) {
        log.warn("shutdown timeout reached with {} tasks still in progress", left);
      }
      dispatcher.loop().execute(dispatcher::drainWorkers);
      // The dispatch loop calls into the supervisor (registrations, heartbeats, recycling) until
      // it ends, so the supervisor's thread goes last: first the workers, then the worker socket
      // and the loop, then the supervisor.
      supervisor.stop(WORKER_EXIT_GRACE);
      server.close();
      if (admin != null) {
        // Last but the loop: /readyz answers 503 for the whole shutdown.
        admin.close();
      }
      releaseTasksLeft();
      group.shutdownGracefully(0, LOOP_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
      supervisor.close();
      runtimeDirectory.close();
      if (dispatcher.payloadRegion() != null) {
        dispatcher.payloadRegion().close();
      }
      log.info("Drover master stopped");
    } finally {
      closeQuietly(logCapture);
      terminated.countDown();
    }
  }

  /**
   * The longest {@link #close} takes with {@code config}: the shutdown timeout for tasks in
   * progress, the workers' time to exit after they drain, SIGTERM and SIGKILL each followed by the
   * kill grace, and the event loop's last work. A service manager's stop timeout (systemd's {@code
   * TimeoutStopSec}) must be longer.
   */
  public static Duration longestShutdown(MasterConfig config) {
    return config
        .shutdownTimeout()
        .plus(WORKER_EXIT_GRACE)
        .plus(config.supervision().killGrace().multipliedBy(2))
        .plus(LOOP_SHUTDOWN_TIMEOUT);
  }

  /**
   * Tasks still queued or on a worker when the servers are closed (the shutdown timeout ran out)
   * are never answered: their payloads are released here, so that a master embedded in a
   * longer-lived process leaks nothing when it stops.
   */
  private void releaseTasksLeft() {
    try {
      int left = dispatcher.loop().submit(dispatcher::releaseTasksLeft).get(10, TimeUnit.SECONDS);
      if (left > 0) {
        log.info("released {} tasks that were never answered", left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      log.warn("could not release the tasks left: {}", e.toString());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("could not close {}: {}", c, e.toString());
    }
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitTermination() {
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
