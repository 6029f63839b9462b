package io.drover.master.cli;

import io.drover.master.DroverMaster;
import io.drover.master.config.InFlightLimit;
import io.drover.master.config.MasterConfig;
import io.drover.master.config.MasterConfigBuilder;
import io.drover.master.config.ByteSizes;
import io.drover.master.config.SettingChecks;
import io.drover.master.config.WorkerLimits;
import io.drover.master.config.SupervisionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover master}: runs the master in the foreground until SIGINT or SIGTERM. */
@Command(
    name = "master",
    mixinStandardHelpOptions = true,
    description = "Run the master in the foreground with its pool of worker JVMs. Ctrl-C stops it.")
final class MasterCommand implements Callable<Integer> {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MasterCommand.class);
  /** Settings whose options are not named after them (the others are: --heartbeat-timeout). */
  private static final java.util.Map<String, String> SETTING_OPTIONS =
      java.util.Map.of(
          "queueFullPolicy", "--when-queue-full",
          "workerClassDataDirectory", "--worker-cds-dir",
          "workerDirectory", "--worker-dir",
          "workerEnvironment", "--worker-env",
          "workerJvmOptions", "--worker-jvm-opt",
          "workerLogDirectory", "--worker-log-dir",
          "logLevels", "--log-level");

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Read settings from this YAML file (keys are these options' names: workers: 4); options given here override it.")
  Path configFile;

  @Option(names = "--host", description = "Address to listen on for clients (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "TCP port for clients (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = MasterConfig.DEFAULT_PORT;

  @Option(
      names = "--reuse-port",
      description =
          "Set SO_REUSEPORT on the client port, so that several masters on this host (same user) share it;"
              + " the kernel spreads new connections between them. Needs the epoll transport (Linux).")
  boolean reusePort;

  @Option(names = "--workers", description = "Number of worker JVMs (default: number of CPU cores).")
  Integer workers;

  @Option(
      names = "--worker-classpath",
      split = ":",
      paramLabel = "JAR",
      description = "Jars with TaskHandlers for the workers (repeatable or ':'-separated; default: the bundled examples jar).")
  List<Path> workerClasspath;

  @Option(names = "--worker-capacity", description = "Tasks each worker runs at once (default: 16).")
  Integer workerCapacity;

  @Option(
      names = "--max-in-flight-per-worker",
      paramLabel = "auto|N",
      description =
          "Most tasks a worker holds at once: auto adapts it to the worker's round trips, between its"
              + " capacity and --adaptive-in-flight-max; a number fixes it (default: auto).")
  String maxInFlightPerWorker;

  @Option(
      names = "--adaptive-in-flight-max",
      description = "The most tasks the adaptive in-flight limit lets a worker hold (default: 1024).")
  Integer adaptiveInFlightMax;

  @Option(
      names = "--adaptive-queue-delay",
      paramLabel = "S",
      description =
          "Seconds a task may wait inside a worker, on average, beyond the worker's quickest round trip"
              + " before the adaptive in-flight limit shrinks (default: 0.001).")
  Double adaptiveQueueDelay;

  @Option(names = "--max-frame-bytes", description = "Largest frame accepted, 8192..1073741824 bytes; a result may take it less 4 KiB (default: 16 MiB).")
  Integer maxFrameBytes;

  @Option(names = "--worker-main-class", description = "Main class of the worker JVMs (default: Drover's worker runtime).")
  String workerMainClass;

  @Option(names = "--worker-jvm-opt", paramLabel = "OPT", description = "JVM option for workers (repeatable; replaces the defaults).")
  List<String> workerJvmOptions;

  @Option(
      names = "--worker-cds-dir",
      paramLabel = "DIR",
      description = "Where worker class-data archives are kept (default: $XDG_CACHE_HOME/drover/cds, else ~/.cache/drover/cds).")
  Path workerCdsDirectory;

  @Option(names = "--no-worker-cds", description = "Start workers without a class-data archive.")
  boolean noWorkerCds;

  @Option(
      names = "--inline",
      description = "Run the handlers inside the master, with no worker JVMs: a benchmarking aid that gives up isolation.")
  boolean inline;

  @Option(
      names = "--scheduler",
      description = "How each task's worker is chosen: least-loaded (default), p2c, round-robin, consistent-hash (on the task's routing key), weighted (heartbeat load), peak-ewma (latency-aware).")
  String scheduler;

  @Option(names = "--max-queued-tasks", description = "Tasks waiting in the master before new ones get OVERLOADED (default: 100000).")
  Integer maxQueuedTasks;

  @Option(names = "--max-queued-mib", description = "Payload MiB waiting in the master before new tasks get OVERLOADED (default: 256).")
  Long maxQueuedMib;

  @Option(names = "--shm-mib", description = "MiB of shared memory (/dev/shm) for large payloads to workers; 0 sends every payload through the worker socket (default: 128).")
  Long shmMib;

  @Option(names = "--shm-threshold-kib", description = "Payloads and results of at least this many KiB go through shared memory (default: 64).")
  Integer shmThresholdKib;

  @Option(
      names = "--when-queue-full",
      description = "reject (default): answer new tasks OVERLOADED while the queue is at its bound; pause: accept them and stop reading from their connection until the queue drains.")
  String whenQueueFull;

  @Option(names = "--max-in-flight-per-connection", description = "Unanswered tasks per connection before the master stops reading it (default: 10000).")
  Integer maxInFlightPerConnection;

  @Option(names = "--max-attempts", description = "Dispatches per task before a worker crash fails it (default: 3).")
  Integer maxAttempts;

  @Option(names = "--worker-start-timeout", paramLabel = "S", description = "Seconds a worker may take to register; longer counts as a crash (default: 30).")
  Double workerStartTimeout;

  @Option(
      names = "--keep-waiting-for-workers",
      description =
          "When no worker is ready within --worker-start-timeout at start-up, serve anyway and keep"
              + " restarting them, instead of exiting with code 1 and the workers' failures.")
  boolean keepWaitingForWorkers;

  @Option(names = "--restart-backoff-initial", paramLabel = "S", description = "Delay before the second restart in a row, doubling after (default: 1).")
  Double restartBackoffInitial;

  @Option(names = "--restart-backoff-max", paramLabel = "S", description = "Longest delay between restarts (default: 30).")
  Double restartBackoffMax;

  @Option(names = "--restart-reset-after", paramLabel = "S", description = "Uptime that resets a slot's backoff (default: 10).")
  Double restartResetAfter;

  @Option(names = "--crash-loop-threshold", description = "More crashes than this within the window is a crash loop (default: 5).")
  Integer crashLoopThreshold;

  @Option(names = "--crash-loop-window", paramLabel = "S", description = "Window for counting crashes (default: 60).")
  Double crashLoopWindow;

  @Option(names = "--heartbeat-interval", paramLabel = "S", description = "Worker heartbeat period (default: 1).")
  Double heartbeatInterval;

  @Option(names = "--heartbeat-timeout", paramLabel = "S", description = "Silence after which a worker is killed and replaced (default: 5).")
  Double heartbeatTimeout;

  @Option(names = "--kill-grace", paramLabel = "S", description = "Seconds between SIGTERM and SIGKILL when killing a worker (default: 2).")
  Double killGrace;

  @Option(
      names = "--cancel-grace",
      paramLabel = "S",
      description =
          "Seconds a handler may run on after its task was cancelled or passed its deadline; past"
              + " that its thread counts as stuck and the worker is recycled (default: 30; 0 = never).")
  Double cancelGrace;

  @Option(names = "--max-tasks-per-worker", description = "Recycle a worker after about this many tasks (default: 0 = never).")
  Long maxTasksPerWorker;

  @Option(names = "--max-worker-rss", paramLabel = "MIB", description = "Recycle a worker whose resident memory exceeds this many MiB (default: 0 = never).")
  Long maxWorkerRssMib;

  @Option(names = "--worker-log-dir", paramLabel = "DIR", description = "Also write each worker slot's output to DIR/worker-N.log, rotated by size.")
  Path workerLogDir;

  @Option(names = "--worker-log-max-bytes", description = "Size at which worker log files rotate (default: 10485760).")
  Long workerLogMaxBytes;

  @Option(names = "--worker-env", paramLabel = "K=V", description = "Environment variable for workers (repeatable).")
  java.util.Map<String, String> workerEnv;

  @Option(names = "--worker-dir", paramLabel = "DIR", description = "Working directory of the workers (default: the master's).")
  Path workerDir;

  @Option(names = "--worker-memory", paramLabel = "SIZE", description = "Hard memory limit of each worker, such as 256MiB; the kernel kills a worker above it (default: 0 = none).")
  String workerMemory;

  @Option(names = "--worker-memory-high", paramLabel = "SIZE", description = "Soft memory mark of each worker, at most --worker-memory: above it the kernel reclaims hard (default: 0 = none).")
  String workerMemoryHigh;

  @Option(names = "--worker-cpus", paramLabel = "CORES", description = "CPU quota of each worker in cores, such as 0.5 (default: 0 = none).")
  Double workerCpus;

  @Option(names = "--worker-max-processes", description = "Most processes and threads in each worker (default: 0 = none).")
  Integer workerMaxProcesses;

  @Option(names = "--worker-max-open-files", description = "Most open files of each worker (default: 0 = none).")
  Integer workerMaxOpenFiles;

  @Option(names = "--limits-best-effort", description = "Start even when this machine cannot enforce a worker limit, with a warning, instead of refusing.")
  boolean limitsBestEffort;

  @Option(names = "--shutdown-timeout", paramLabel = "S", description = "Seconds shutdown waits for tasks in progress (default: 30).")
  Double shutdownTimeout;

  @Option(names = "--autoscale-max", description = "Let the master size its pool, up to this many workers (default: 0 = a fixed pool).")
  Integer autoscaleMax;

  @Option(names = "--autoscale-min", description = "Fewest workers while autoscaling (default: 1).")
  Integer autoscaleMin;

  @Option(
      names = "--autoscale-target",
      paramLabel = "LOAD",
      description = "Tasks in flight or waiting per unit of worker capacity to aim at while autoscaling (default: 0.8).")
  Double autoscaleTarget;

  @Option(names = "--autoscale-cpu", paramLabel = "CORES", description = "CPU per worker to aim at while autoscaling, in cores (default: 0 = leave CPU out).")
  Double autoscaleCpu;

  @Option(names = "--autoscale-up-window", paramLabel = "S", description = "How long more workers must be wanted before the pool grows (default: 5).")
  Double autoscaleUpWindow;

  @Option(names = "--autoscale-down-window", paramLabel = "S", description = "How long fewer workers must be wanted before the pool shrinks (default: 60).")
  Double autoscaleDownWindow;

  @Option(names = "--autoscale-cooldown", paramLabel = "S", description = "Least time between two autoscaling changes (default: 15).")
  Double autoscaleCooldown;

  @Option(
      names = "--log-level",
      paramLabel = "LOGGER=LEVEL",
      description =
          "Log level of a logger (ROOT for all; TRACE, DEBUG, INFO, WARN, ERROR, OFF), repeatable; applied again on each reload.")
  java.util.Map<String, String> logLevel;

  @Option(names = "--admin-host", description = "Address of the admin HTTP endpoint (/status, /healthz, /readyz; default: ${DEFAULT-VALUE}).")
  String adminHost = "127.0.0.1";

  @Option(
      names = "--admin-port",
      defaultValue = "${env:DROVER_ADMIN_PORT:-7071}",
      description = "TCP port of the admin HTTP endpoint (default: $DROVER_ADMIN_PORT, else 7071; 0 = any free port).")
  int adminPort;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "File holding the admin token that reload, scale and restart requests must carry (default: a fresh random one,"
              + " written to admin.token in the runtime directory, where the drover CLI finds it).")
  Path adminTokenFile;

  @Option(names = "--no-admin", description = "Serve no admin HTTP endpoint.")
  boolean noAdmin;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Serve TLS on the client port with this certificate chain (PEM, leaf first); read again on each reload.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key (PEM, PKCS#8, unencrypted).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description = "Check client certificates against these CA certificates (PEM): mutual TLS.")
  Path tlsClientCa;

  @Option(
      names = "--tls-client-auth",
      description = "require (default with --tls-client-ca): refuse clients without a good certificate; optional: check one when given; none.")
  String tlsClientAuth;

  @Option(names = "--admin-tls", description = "Serve the admin endpoint over HTTPS, with --tls-cert and --tls-key.")
  boolean adminTls;

  @Option(names = "--max-connections", description = "Client connections open at once; one more is refused with OVERLOADED (default: 10000).")
  Integer maxConnections;

  @Option(
      names = "--max-connections-per-address",
      description = "Client connections open at once from one remote address (default: 1000).")
  Integer maxConnectionsPerAddress;

  @Option(
      names = "--idle-timeout",
      paramLabel = "S",
      description = "Seconds a client connection with nothing in flight and nothing received may stay open before a GOAWAY (default: 600; 0 = never).")
  Double idleTimeout;

  @Option(
      names = "--frame-read-timeout",
      paramLabel = "S",
      description = "Seconds a client may take from a frame's first byte to its last before its connection is closed (default: 30; 0 = no limit).")
  Double frameReadTimeout;

  @Option(names = "--tls-handshake-timeout", paramLabel = "S", description = "Seconds a TLS handshake may take (default: 10).")
  Double tlsHandshakeTimeout;

  @Option(
      names = "--auth-timeout",
      paramLabel = "S",
      description = "Seconds a client connection has to authenticate when tenants are configured, before it is answered UNAUTHENTICATED and closed (default: 10).")
  Double authTimeout;

  @Option(
      names = "--max-partial-frame-mib",
      paramLabel = "MIB",
      description = "MiB the incomplete frames of all client connections may hold together; past it the connection stalled longest is closed (default: 256, at least the largest frame).")
  Long maxPartialFrameMib;

  @Option(
      names = "--tenants",
      paramLabel = "FILE",
      converter = TenantList.FileConverter.class,
      description = "The tenants clients authenticate as (a YAML list; in the configuration file, the list itself); read again on each reload.")
  TenantList tenants;

  @Option(
      names = "--auth",
      paramLabel = "MODE",
      description = "auto (default): clients authenticate when tenants are configured, and a client port beyond loopback needs tenants; none: serve beyond loopback without authentication.")
  String auth;

  @Override
  public Integer call() throws Exception {
    MasterConfig config = effectiveConfig().config();
    // Signals are taken from before the start: a SIGTERM while workers start (systemd stopping a
    // slow start, a test) would otherwise meet the JVM's default, exit 143 and leave the runtime
    // directory and the workers behind. The shutdown waits for the start to end, then closes.
    CompletableFuture<DroverMaster> started = new CompletableFuture<>();
    ShutdownSignals.install(
        () -> started.thenAccept(DroverMaster::close).exceptionally(notStarted -> null).join(),
        () -> {
          if (started.isDone() && !started.isCompletedExceptionally()) {
            started.join().reload(); // logs its outcome
          } else {
            log.warn("SIGHUP received while the master starts: ignored (send it again once it serves)");
          }
        });
    DroverMaster master;
    try {
      master = DroverMaster.start(config);
    } catch (Exception e) {
      started.completeExceptionally(e);
      System.err.println("drover master: cannot start: " + whyNotStarted(e));
      return 1;
    }
    // A reload reads the file and the command line again: flags still override the file.
    List<String> args = givenOptions();
    master.configSource(() -> reread(args));
    if (config.adminEnabled()) {
      // `drover upgrade` runs this very command line again (with another jar, if asked).
      try {
        master.enableUpgrades(io.drover.master.internal.upgrade.ProcessCommandLine.current());
      } catch (java.io.IOException e) {
        log.warn("upgrades in place are off: cannot read this process's command line ({})", e.getMessage());
      }
    }
    started.complete(master);
    // Any other way out of the JVM still stops the workers.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  master.close();
                  // Closing here (the JVM exits some other way) logs after main's flush.
                  io.drover.master.internal.logging.LoggingShutdown.flush();
                },
                "drover-exit"));
    master.awaitTermination();
    return 0;
  }

  /** The settings this command line and its {@code --config} file give, and where each came from. */
  record Effective(MasterConfig config, FileSettings sources) {}

  /**
   * Applies the {@code --config} file (options given on the command line keep their values) and
   * builds the settings; any refusal is a usage error naming the option, or the file, line and
   * key.
   */
  Effective effectiveConfig() {
    FileSettings file;
    try {
      file = FileSettings.apply(spec, configFile == null ? null : ConfigFile.read(configFile));
    } catch (ConfigFile.BadConfigException e) {
      throw new OptionErrors.BadOptionException(spec, e.getMessage());
    }
    try {
      return new Effective(toConfig(), file);
    } catch (IllegalArgumentException e) {
      String inFile = file.refusal(spec, e, SETTING_OPTIONS);
      throw inFile != null
          ? new OptionErrors.BadOptionException(spec, inFile)
          : OptionErrors.fromSetting(spec, e, SETTING_OPTIONS);
    }
  }

  /** The options given on this command line, as arguments that give them again. */
  private List<String> givenOptions() {
    List<String> args = new ArrayList<>();
    for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
      if (o.arity().max() == 0) {
        args.add(o.longestName());
      } else {
        for (String value : o.originalStringValues()) {
          args.add(o.longestName() + "=" + value);
        }
      }
    }
    return args;
  }

  /** The settings {@code args} give now: the file as it is on disk, the flags as they were. */
  static MasterConfig reread(List<String> args) {
    try {
      return ConfigCommand.master(args).config();
    } catch (picocli.CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private String whyNotStarted(Exception e) {
    if (String.valueOf(e.getMessage()).startsWith("admin endpoint")) {
      return CliErrors.runtimeProblem(e);
    }
    if (String.valueOf(e.getMessage()).contains("Address already in use")) {
      return host + ":" + port + " is in use (another master, or another program, listens there; --port 0 takes any free port)";
    }
    return CliErrors.runtimeProblem(e);
  }

  private io.drover.master.config.AuthSettings authSettings() {
    if (auth != null && !auth.equals("auto") && !auth.equals("none")) {
      throw new IllegalArgumentException("auth: " + auth + " (expected: auto or none)");
    }
    return new io.drover.master.config.AuthSettings(tenants == null ? List.of() : tenants.tenants(), "none".equals(auth));
  }

  private io.drover.master.config.TlsSettings tls() {
    io.drover.master.config.TlsSettings.ClientAuth auth =
        tlsClientAuth != null
            ? io.drover.master.config.TlsSettings.ClientAuth.of(tlsClientAuth)
            : tlsClientCa != null ? io.drover.master.config.TlsSettings.ClientAuth.REQUIRE : io.drover.master.config.TlsSettings.ClientAuth.NONE;
    return new io.drover.master.config.TlsSettings(tlsCert, tlsKey, tlsClientCa, auth, adminTls);
  }

  private io.drover.master.config.AutoscaleSettings autoscale() {
    io.drover.master.config.AutoscaleSettings d = io.drover.master.config.AutoscaleSettings.OFF;
    return new io.drover.master.config.AutoscaleSettings(
        autoscaleMin != null ? autoscaleMin : d.min(),
        autoscaleMax != null ? autoscaleMax : d.max(),
        autoscaleTarget != null ? autoscaleTarget : d.target(),
        autoscaleCpu != null ? autoscaleCpu : d.cpuTarget(),
        autoscaleUpWindow != null ? seconds(autoscaleUpWindow) : d.upWindow(),
        autoscaleDownWindow != null ? seconds(autoscaleDownWindow) : d.downWindow(),
        autoscaleCooldown != null ? seconds(autoscaleCooldown) : d.cooldown());
  }

  private SupervisionSettings supervision() {
    SupervisionSettings.Builder s = SupervisionSettings.builder();
    if (restartBackoffInitial != null) {
      s.restartBackoffInitial(seconds(restartBackoffInitial));
    }
    if (restartBackoffMax != null) {
      s.restartBackoffMax(seconds(restartBackoffMax));
    }
    if (restartResetAfter != null) {
      s.restartResetAfter(seconds(restartResetAfter));
    }
    if (crashLoopThreshold != null) {
      s.crashLoopThreshold(crashLoopThreshold);
    }
    if (crashLoopWindow != null) {
      s.crashLoopWindow(seconds(crashLoopWindow));
    }
    if (heartbeatInterval != null) {
      s.heartbeatInterval(seconds(heartbeatInterval));
    }
    if (heartbeatTimeout != null) {
      s.heartbeatTimeout(seconds(heartbeatTimeout));
    }
    if (killGrace != null) {
      s.killGrace(seconds(killGrace));
    }
    if (cancelGrace != null) {
      s.cancelGrace(seconds(cancelGrace));
    }
    if (maxTasksPerWorker != null) {
      s.maxTasksPerWorker(maxTasksPerWorker);
    }
    if (maxWorkerRssMib != null) {
      s.maxWorkerRssBytes(mebibytes("max-worker-rss", maxWorkerRssMib, 0));
    }
    if (workerLogDir != null) {
      s.workerLogDirectory(workerLogDir);
    }
    if (workerLogMaxBytes != null) {
      s.workerLogMaxBytes(workerLogMaxBytes);
    }
    if (workerEnv != null) {
      s.workerEnvironment(workerEnv);
    }
    if (workerDir != null) {
      s.workerDirectory(workerDir);
    }
    return s.build();
  }

  private WorkerLimits workerLimits() {
    WorkerLimits.Builder l = WorkerLimits.builder().bestEffort(limitsBestEffort);
    if (workerMemory != null) {
      l.memoryBytes(ByteSizes.parse("worker-memory", workerMemory));
    }
    if (workerMemoryHigh != null) {
      l.memoryHighBytes(ByteSizes.parse("worker-memory-high", workerMemoryHigh));
    }
    if (workerCpus != null) {
      l.cpus(workerCpus);
    }
    if (workerMaxProcesses != null) {
      l.maxProcesses(workerMaxProcesses);
    }
    if (workerMaxOpenFiles != null) {
      l.maxOpenFiles(workerMaxOpenFiles);
    }
    return l.build();
  }

  /** Largest MiB count an option takes: the config's bound on sizes. */
  private static final long MAX_MIB = SettingChecks.MAX_BYTES >> 20;

  /** {@code mib} in bytes, refused before the product could overflow. */
  static long mebibytes(String option, long mib, long min) {
    if (mib < min || mib > MAX_MIB) {
      throw new IllegalArgumentException(option + ": " + mib + " (expected: " + min + ".." + MAX_MIB + ")");
    }
    return mib << 20;
  }

  /** The connection limits the options set, the others at their defaults. */
  private io.drover.master.config.ConnectionLimits connectionLimits() {
    io.drover.master.config.ConnectionLimits d =
        io.drover.master.config.ConnectionLimits.defaults(
            maxFrameBytes != null ? maxFrameBytes : io.drover.protocol.FrameLimits.DEFAULT_MAX_FRAME_BYTES);
    return new io.drover.master.config.ConnectionLimits(
        maxConnections != null ? maxConnections : d.maxConnections(),
        maxConnectionsPerAddress != null ? maxConnectionsPerAddress : d.maxConnectionsPerAddress(),
        idleTimeout != null ? seconds(idleTimeout) : d.idleTimeout(),
        frameReadTimeout != null ? seconds(frameReadTimeout) : d.frameReadTimeout(),
        tlsHandshakeTimeout != null ? seconds(tlsHandshakeTimeout) : d.tlsHandshakeTimeout(),
        authTimeout != null ? seconds(authTimeout) : d.authTimeout(),
        maxPartialFrameMib != null ? mebibytes("max-partial-frame-mib", maxPartialFrameMib, 1) : d.maxPartialFrameBytes());
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private InFlightLimit inFlightLimit() {
    InFlightLimit l = InFlightLimit.DEFAULT;
    if (adaptiveInFlightMax != null || adaptiveQueueDelay != null) {
      l = l.withAdaptive(
          adaptiveInFlightMax != null ? adaptiveInFlightMax : l.adaptiveMax(),
          adaptiveQueueDelay != null ? Duration.ofNanos(Math.round(adaptiveQueueDelay * 1e9)) : l.queueDelay());
    }
    if (maxInFlightPerWorker == null || maxInFlightPerWorker.strip().equalsIgnoreCase("auto")) {
      return l;
    }
    try {
      return l.withFixedCap(Integer.parseInt(maxInFlightPerWorker.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "maxInFlightPerWorker: '" + maxInFlightPerWorker + "' (expected: auto or a number of tasks > 0)");
    }
  }

  MasterConfig toConfig() {
    MasterConfigBuilder b = MasterConfig.builder().host(host).port(port);
    if (workers != null) {
      b.workers(workers);
    }
    if (workerClasspath != null) {
      b.workerClasspath(new ArrayList<>(workerClasspath));
    }
    if (workerCapacity != null) {
      b.workerCapacity(workerCapacity);
    }
    b.inFlightLimit(inFlightLimit());
    if (maxFrameBytes != null) {
      b.maxFrameBytes(maxFrameBytes);
    }
    if (workerMainClass != null) {
      b.workerMainClass(workerMainClass);
    }
    if (workerJvmOptions != null) {
      b.workerJvmOptions(workerJvmOptions);
    }
    b.inline(inline);
    if (scheduler != null) {
      b.scheduler(io.drover.master.config.SchedulerKind.of(scheduler));
    }
    if (maxQueuedTasks != null) {
      b.maxQueuedTasks(maxQueuedTasks);
    }
    if (maxQueuedMib != null) {
      b.maxQueuedBytes(mebibytes("max-queued-mib", maxQueuedMib, 1));
    }
    if (maxInFlightPerConnection != null) {
      b.maxInFlightPerConnection(maxInFlightPerConnection);
    }
    if (shmMib != null || shmThresholdKib != null) {
      io.drover.master.config.SharedMemorySettings d = io.drover.master.config.SharedMemorySettings.DEFAULT;
      long region = shmMib == null ? d.regionBytes() : shmMib == 0 ? 0 : mebibytes("shm-mib", shmMib, 1);
      int threshold = shmThresholdKib == null ? d.thresholdBytes() : (int) Math.min(Integer.MAX_VALUE, (long) shmThresholdKib << 10);
      if (shmThresholdKib != null && (shmThresholdKib < 1 || shmThresholdKib > (1 << 20))) {
        throw new IllegalArgumentException("shm-threshold-kib: " + shmThresholdKib + " (expected: 1..1048576)");
      }
      b.sharedMemory(new io.drover.master.config.SharedMemorySettings(region, threshold));
    }
    if (whenQueueFull != null) {
      b.queueFullPolicy(io.drover.master.config.QueueFullPolicy.of(whenQueueFull));
    }
    if (maxAttempts != null) {
      b.maxAttempts(maxAttempts);
    }
    if (workerStartTimeout != null) {
      b.workerStartTimeout(seconds(workerStartTimeout));
    }
    b.keepWaitingForWorkers(keepWaitingForWorkers);
    b.reusePort(reusePort);
    b.supervision(supervision());
    if (noWorkerCds) {
      b.workerClassDataDirectory(null);
    } else if (workerCdsDirectory != null) {
      b.workerClassDataDirectory(workerCdsDirectory);
    }
    if (shutdownTimeout != null) {
      b.shutdownTimeout(seconds(shutdownTimeout));
    }
    b.autoscale(autoscale());
    b.workerLimits(workerLimits());
    b.adminTokenFile(adminTokenFile);
    if (logLevel != null) {
      b.logLevels(logLevel);
    }
    b.adminHost(adminHost);
    b.tls(tls());
    b.connectionLimits(connectionLimits());
    b.auth(authSettings());
    if (noAdmin) {
      b.noAdmin();
    } else {
      b.adminPort(adminPort);
    }
    return b.build();
  }
}
