package io.drover.master.config;

import io.drover.protocol.FrameLimits;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link MasterConfig}; every setter is optional. */
public final class MasterConfigBuilder {
  /** Name of the bundled example handler jar, looked for beside the master's own jar. */
  public static final String EXAMPLES_JAR = "drover-examples.jar";

  private String host = "127.0.0.1";
  private int port = MasterConfig.DEFAULT_PORT;
  private Integer workers;
  private AutoscaleSettings autoscale = AutoscaleSettings.OFF;
  private Path adminTokenFile;
  private java.util.Map<String, String> logLevels = java.util.Map.of();
  private boolean reusePort;
  private TlsSettings tls = TlsSettings.OFF;
  /** Null for the defaults, which depend on the largest frame. */
  private ConnectionLimits connectionLimits;
  private AuthSettings auth = AuthSettings.NONE;
  private int workerCapacity = 16;
  private InFlightLimit inFlightLimit = InFlightLimit.DEFAULT;
  /** A fixed cap asked for, checked at {@link #build}; null for {@link #inFlightLimit} as it is. */
  private Integer fixedInFlightCap;
  private int maxFrameBytes = FrameLimits.DEFAULT_MAX_FRAME_BYTES;
  private List<Path> workerRuntimeClasspath;
  private List<Path> workerClasspath;
  private String workerMainClass = MasterConfig.DEFAULT_WORKER_MAIN;
  private List<String> workerJvmOptions = defaultWorkerJvmOptions();
  private Duration workerStartTimeout = Duration.ofSeconds(30);
  private boolean keepWaitingForWorkers;
  private Duration shutdownTimeout = Duration.ofSeconds(30);
  private int maxAttempts = 3;
  private Path runtimeDirectoryParent;
  private Path workerClassDataDirectory = defaultClassDataDirectory();
  private boolean inline;
  private SupervisionSettings supervision = SupervisionSettings.defaults();
  private int maxQueuedTasks = 100_000;
  private long maxQueuedBytes = 256L * 1024 * 1024;
  private SharedMemorySettings sharedMemory = SharedMemorySettings.DEFAULT;
  private QueueFullPolicy queueFullPolicy = QueueFullPolicy.REJECT;
  private int maxInFlightPerConnection = 10_000;
  private io.drover.master.config.SchedulerKind scheduler =
      io.drover.master.config.SchedulerKind.LEAST_LOADED;
  private String adminHost = "127.0.0.1";
  private int adminPort = MasterConfig.DEFAULT_ADMIN_PORT;
  private WorkerLimits workerLimits = WorkerLimits.NONE;

  MasterConfigBuilder() {}

  /** Address the client server binds to (default 127.0.0.1). */
  public MasterConfigBuilder host(String host) {
    this.host = host;
    return this;
  }

  /** TCP port for clients (default 7070; 0 picks a free port). */
  public MasterConfigBuilder port(int port) {
    this.port = port;
    return this;
  }

  /**
   * Number of worker JVMs (default: the number of CPU cores, kept within the autoscaler's bounds
   * when it is on); null for the default.
   */
  public MasterConfigBuilder workers(Integer workers) {
    this.workers = workers;
    return this;
  }

  /** Tasks each worker runs at once (default 16). */
  public MasterConfigBuilder workerCapacity(int workerCapacity) {
    this.workerCapacity = workerCapacity;
    return this;
  }

  /**
   * A fixed cap on the tasks a worker may hold at once, instead of the adaptive limit (the
   * default); {@link InFlightLimit#ADAPTIVE} for the adaptive limit again.
   */
  public MasterConfigBuilder maxInFlightPerWorker(int maxInFlightPerWorker) {
    this.fixedInFlightCap = maxInFlightPerWorker;
    return this;
  }

  /** How many tasks a worker may hold at once (default: {@link InFlightLimit#DEFAULT}, adaptive). */
  public MasterConfigBuilder inFlightLimit(InFlightLimit inFlightLimit) {
    this.inFlightLimit = java.util.Objects.requireNonNull(inFlightLimit, "inFlightLimit");
    this.fixedInFlightCap = null;
    return this;
  }

  /** Largest frame accepted (default 16 MiB). */
  public MasterConfigBuilder maxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  /** Classpath holding the worker runtime (default: the master's own jar or classpath). */
  public MasterConfigBuilder workerRuntimeClasspath(List<Path> classpath) {
    this.workerRuntimeClasspath = List.copyOf(classpath);
    return this;
  }

  /** Jars with the users' TaskHandlers (default: the bundled examples jar beside drover.jar). */
  public MasterConfigBuilder workerClasspath(List<Path> classpath) {
    this.workerClasspath = List.copyOf(classpath);
    return this;
  }

  /** Main class of each worker JVM (default: Drover's worker runtime). */
  public MasterConfigBuilder workerMainClass(String workerMainClass) {
    this.workerMainClass = workerMainClass;
    return this;
  }

  /** Options for each worker JVM, replacing the defaults. */
  public MasterConfigBuilder workerJvmOptions(List<String> options) {
    this.workerJvmOptions = List.copyOf(options);
    return this;
  }

  /** How long a worker may take to register (default 30 s). */
  public MasterConfigBuilder workerStartTimeout(Duration timeout) {
    this.workerStartTimeout = timeout;
    return this;
  }

  /**
   * With {@code true}, a master none of whose workers became ready within the start timeout
   * serves all the same and keeps restarting them (default false: it fails to start, naming why
   * the workers failed).
   */
  public MasterConfigBuilder keepWaitingForWorkers(boolean keepWaiting) {
    this.keepWaitingForWorkers = keepWaiting;
    return this;
  }

  /** How long shutdown waits for in-flight tasks (default 30 s). */
  public MasterConfigBuilder shutdownTimeout(Duration timeout) {
    this.shutdownTimeout = timeout;
    return this;
  }

  /** Dispatches per task before a worker crash fails it (default 3). */
  public MasterConfigBuilder maxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
    return this;
  }

  /** Directory under which the private runtime directory is made (default: java.io.tmpdir). */
  public MasterConfigBuilder runtimeDirectoryParent(Path parent) {
    this.runtimeDirectoryParent = parent;
    return this;
  }

  /**
   * Where worker class-data archives are kept (default {@code $XDG_CACHE_HOME/drover/cds}, else
   * {@code ~/.cache/drover/cds}); {@code null} starts workers without one.
   */
  public MasterConfigBuilder workerClassDataDirectory(Path directory) {
    this.workerClassDataDirectory = directory;
    return this;
  }

  /** Restarts, heartbeats, recycling, worker logs and environment (default: {@link SupervisionSettings#defaults()}). */
  public MasterConfigBuilder supervision(SupervisionSettings supervision) {
    this.supervision = supervision;
    return this;
  }

  /** Most tasks waiting in the master before new ones get OVERLOADED (default 100,000). */
  public MasterConfigBuilder maxQueuedTasks(int n) {
    this.maxQueuedTasks = n;
    return this;
  }

  /** Most payload bytes waiting in the master before new tasks get OVERLOADED (default 256 MiB). */
  public MasterConfigBuilder maxQueuedBytes(long n) {
    this.maxQueuedBytes = n;
    return this;
  }

  /**
   * What a new task meets when the queue is at its bound (default {@link QueueFullPolicy#REJECT}:
   * OVERLOADED at once).
   */
  public MasterConfigBuilder queueFullPolicy(QueueFullPolicy policy) {
    this.queueFullPolicy = policy;
    return this;
  }

  /** Unanswered tasks per connection before the master stops reading it (default 10,000). */
  public MasterConfigBuilder maxInFlightPerConnection(int n) {
    this.maxInFlightPerConnection = n;
    return this;
  }

  /** How each task's worker is chosen (default least-loaded). */
  public MasterConfigBuilder scheduler(io.drover.master.config.SchedulerKind scheduler) {
    this.scheduler = scheduler;
    return this;
  }

  /** Runs the handlers inside the master instead of in worker JVMs (default false). */
  public MasterConfigBuilder inline(boolean inline) {
    this.inline = inline;
    return this;
  }

  /** Address the admin HTTP endpoint binds to (default 127.0.0.1). */
  public MasterConfigBuilder adminHost(String adminHost) {
    this.adminHost = adminHost;
    return this;
  }

  /**
   * TCP port of the admin HTTP endpoint (default 7071; 0 picks a free port; {@link
   * MasterConfig#NO_ADMIN} turns the endpoint off).
   */
  public MasterConfigBuilder adminPort(int adminPort) {
    this.adminPort = adminPort;
    return this;
  }

  /** Turns the admin HTTP endpoint off. */
  public MasterConfigBuilder noAdmin() {
    this.adminPort = MasterConfig.NO_ADMIN;
    return this;
  }

  /** Validates and returns the settings. */
  public MasterConfig build() {
    List<Path> runtime =
        workerRuntimeClasspath != null ? workerRuntimeClasspath : ownClasspath();
    List<Path> handlers = workerClasspath != null ? workerClasspath : defaultHandlerJars(runtime);
    // The default count stays within the autoscaler's bounds; a count given is checked against them.
    int pool = workers != null ? workers : Runtime.getRuntime().availableProcessors();
    if (workers == null && autoscale.enabled()) {
      pool = Math.max(autoscale.min(), Math.min(autoscale.max(), pool));
    }
    return new MasterConfig(
        host,
        port,
        pool,
        workerCapacity,
        fixedInFlightCap != null ? inFlightLimit.withFixedCap(fixedInFlightCap) : inFlightLimit,
        maxFrameBytes,
        runtime,
        handlers,
        workerMainClass,
        workerJvmOptions,
        workerStartTimeout,
        keepWaitingForWorkers,
        shutdownTimeout,
        maxAttempts,
        runtimeDirectoryParent,
        workerClassDataDirectory,
        maxQueuedTasks,
        maxQueuedBytes,
        maxInFlightPerConnection,
        queueFullPolicy,
        scheduler,
        supervision,
        inline,
        adminHost,
        adminPort,
        autoscale,
        adminTokenFile,
        logLevels,
        workerLimits,
        reusePort,
        tls,
        connectionLimits != null ? connectionLimits : ConnectionLimits.defaults(maxFrameBytes),
        auth,
        sharedMemory);
  }

  /**
   * Sets SO_REUSEPORT on the client listening socket, so that several masters on one host can
   * listen on the same port, the kernel spreading new connections between them (epoll only).
   */
  public MasterConfigBuilder reusePort(boolean reusePort) {
    this.reusePort = reusePort;
    return this;
  }

  /**
   * Limits on the client port's connections (default: {@link ConnectionLimits#defaults} for the
   * largest frame).
   */
  public MasterConfigBuilder connectionLimits(ConnectionLimits connectionLimits) {
    this.connectionLimits = connectionLimits;
    return this;
  }

  /** Large payloads through shared memory (default: {@link SharedMemorySettings#DEFAULT}). */
  public MasterConfigBuilder sharedMemory(SharedMemorySettings sharedMemory) {
    this.sharedMemory = sharedMemory;
    return this;
  }

  /** The client port's tenants (default: {@link AuthSettings#NONE}, none). */
  public MasterConfigBuilder auth(AuthSettings auth) {
    this.auth = auth;
    return this;
  }

  /** TLS on the client and admin ports (default: {@link TlsSettings#OFF}). */
  public MasterConfigBuilder tls(TlsSettings tls) {
    this.tls = tls;
    return this;
  }

  /**
   * The master's log levels by logger name ({@code ROOT} for the root logger), applied at start
   * and again on each reload (default: none, logging stays as configured).
   */
  public MasterConfigBuilder logLevels(java.util.Map<String, String> levels) {
    this.logLevels = levels;
    return this;
  }

  /**
   * The file holding the admin endpoint's token, the secret that POST requests (reload, scale,
   * restart) must carry (default: a fresh random token, written to {@code admin.token} in the
   * runtime directory).
   */
  public MasterConfigBuilder adminTokenFile(Path file) {
    this.adminTokenFile = file;
    return this;
  }

  /** Memory, CPU, process and open-file limits on each worker (default: {@link WorkerLimits#NONE}). */
  public MasterConfigBuilder workerLimits(WorkerLimits limits) {
    this.workerLimits = limits;
    return this;
  }

  /** How the pool sizes itself (default: it does not). */
  public MasterConfigBuilder autoscale(AutoscaleSettings autoscale) {
    this.autoscale = autoscale;
    return this;
  }

  /** JVM options that measured best for small worker processes. */
  static List<String> defaultWorkerJvmOptions() {
    return List.of(
        "-XX:+UseSerialGC",
        "-Xshare:auto",
        "-Dio.netty.allocator.type=pooled",
        "-Dio.netty.leakDetection.level=disabled");
  }

  private static Path defaultClassDataDirectory() {
    return defaultClassDataDirectory(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
  }

  /**
   * {@code $XDG_CACHE_HOME/drover/cds}, else {@code ~/.cache/drover/cds}; null with neither. The
   * XDG base directory specification says to ignore a relative {@code XDG_CACHE_HOME}.
   */
  static Path defaultClassDataDirectory(String xdgCacheHome, String home) {
    if (xdgCacheHome != null && !xdgCacheHome.isEmpty() && Path.of(xdgCacheHome).isAbsolute()) {
      return Path.of(xdgCacheHome, "drover", "cds");
    }
    return home == null || home.isEmpty() ? null : Path.of(home, ".cache", "drover", "cds");
  }

  /** The jar the master runs from, or its whole classpath when it runs from directories. */
  static List<Path> ownClasspath() {
    Path self = codeSource();
    if (self != null && Files.isRegularFile(self)) {
      return List.of(self);
    }
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry));
      }
    }
    return entries;
  }

  private static List<Path> defaultHandlerJars(List<Path> runtime) {
    Path self = codeSource();
    if (self != null && Files.isRegularFile(self)) {
      Path examples = self.resolveSibling(EXAMPLES_JAR);
      if (Files.isRegularFile(examples)) {
        return List.of(examples);
      }
    }
    return List.of();
  }

  private static Path codeSource() {
    try {
      var source = MasterConfig.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }
}
