package io.drover.master.config;

import io.drover.protocol.FrameLimits;
import io.drover.worker.DroverWorkerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the master needs to run, validated once. Build one with {@link #builder()}; every
 * setting has a default suitable for a single machine.
 *
 * @param host address the client server binds to
 * @param port TCP port for clients; 0 picks a free one
 * @param workers number of worker JVMs
 * @param workerCapacity tasks each worker runs at once (its handler thread pool)
 * @param inFlightLimit how many tasks the master lets a worker hold, running or queued in it:
 *     adaptive (the default) or a fixed cap
 * @param maxFrameBytes largest frame accepted from a client or worker
 * @param workerRuntimeClasspath classpath holding Drover's worker runtime (normally drover.jar)
 * @param workerClasspath user jars with TaskHandlers, appended to the runtime classpath
 * @param workerMainClass main class each worker JVM runs
 * @param workerJvmOptions options given to each worker JVM before the main class
 * @param workerStartTimeout how long a worker may take to register before start-up fails
 * @param keepWaitingForWorkers at start-up, serve and keep restarting the workers even when none
 *     became ready within the start timeout, instead of failing to start
 * @param shutdownTimeout how long shutdown waits for in-flight tasks
 * @param maxAttempts how many times a task is dispatched before a crash fails it
 * @param runtimeDirectoryParent where the private runtime directory is created; null for the
 *     system temporary directory
 * @param workerClassDataDirectory where worker class-data (AppCDS) archives are kept; null to
 *     start workers without one
 * @param maxQueuedTasks most tasks waiting in the master for a worker; beyond it new tasks get
 *     OVERLOADED
 * @param maxQueuedBytes most payload bytes waiting in the master; beyond it new tasks get
 *     OVERLOADED
 * @param maxInFlightPerConnection tasks one connection may have accepted and unanswered before
 *     the master stops reading from it
 * @param queueFullPolicy what a new task meets when the queue is at its bound: OVERLOADED at once,
 *     or its connection paused until the queue drains
 * @param scheduler how the worker for each task is chosen
 * @param supervision restarts, heartbeats, recycling, worker logs and environment
 * @param inline run the handlers inside the master instead of in worker JVMs (for measuring
 *     the cost of the worker hop; gives up isolation)
 * @param adminHost address the admin HTTP endpoint binds to
 * @param adminPort TCP port of the admin HTTP endpoint; 0 picks a free one, -1 turns it off
 * @param autoscale how the pool sizes itself, or {@link AutoscaleSettings#OFF}
 * @param adminTokenFile where the admin token is read from; null for a fresh random one
 * @param logLevels the master's log levels by logger name ({@code io.drover.master.internal.dispatch}
 *     or {@code ROOT}): TRACE, DEBUG, INFO, WARN, ERROR or OFF; empty to leave logging as it is
 * @param workerLimits memory, CPU, process and open-file limits the kernel enforces on each worker
 * @param reusePort SO_REUSEPORT on the client listening socket, so that several masters on one
 *     host share the port (epoll transport only)
 * @param tls TLS on the client and admin ports, or {@link TlsSettings#OFF}
 * @param connectionLimits limits on the client port's connections: counts, timeouts and the
 *     memory of incomplete frames
 * @param auth the client port's tenants, or {@link AuthSettings#NONE}
 * @param sharedMemory large payloads through shared memory, or {@link SharedMemorySettings#OFF}
 */
public record MasterConfig(
    String host,
    int port,
    int workers,
    int workerCapacity,
    InFlightLimit inFlightLimit,
    int maxFrameBytes,
    List<Path> workerRuntimeClasspath,
    List<Path> workerClasspath,
    String workerMainClass,
    List<String> workerJvmOptions,
    Duration workerStartTimeout,
    boolean keepWaitingForWorkers,
    Duration shutdownTimeout,
    int maxAttempts,
    Path runtimeDirectoryParent,
    Path workerClassDataDirectory,
    int maxQueuedTasks,
    long maxQueuedBytes,
    int maxInFlightPerConnection,
    QueueFullPolicy queueFullPolicy,
    io.drover.master.config.SchedulerKind scheduler,
    SupervisionSettings supervision,
    boolean inline,
    String adminHost,
    int adminPort,
    AutoscaleSettings autoscale,
    Path adminTokenFile,
    java.util.Map<String, String> logLevels,
    WorkerLimits workerLimits,
    boolean reusePort,
    TlsSettings tls,
    ConnectionLimits connectionLimits,
    AuthSettings auth,
    SharedMemorySettings sharedMemory) {

  /** The log levels {@link #logLevels} takes. */
  public static final java.util.List<String> LOG_LEVELS = java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /** Default TCP port for clients. */
  public static final int DEFAULT_PORT = 7070;
  /** Default TCP port of the admin HTTP endpoint. */
  public static final int DEFAULT_ADMIN_PORT = 7071;
  /** {@link #adminPort()} of a master without an admin endpoint. */
  public static final int NO_ADMIN = -1;
  /** Default worker main class: Drover's own worker runtime. */
  public static final String DEFAULT_WORKER_MAIN = "io.drover.worker.WorkerMain";

  /** Validates every setting; the message names the bad one and the range it expected. */
  public MasterConfig {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or address)");
    }
    SettingChecks.checkRange("port", port, 0, 65535);
    SettingChecks.checkWorkers(workers);
    SettingChecks.checkPositive("workerCapacity", workerCapacity, DroverWorkerBuilder.MAX_CAPACITY);
    Objects.requireNonNull(inFlightLimit, "inFlightLimit");
    // At least twice the room a job or a result keeps for its header, at most 1 GiB so that a
    // frame with its length prefix and header room still fits in an int.
    FrameLimits.checkServingMaxFrameBytes(maxFrameBytes);
    workerRuntimeClasspath = List.copyOf(workerRuntimeClasspath);
    if (workerRuntimeClasspath.isEmpty()) {
      throw new IllegalArgumentException("workerRuntimeClasspath: [] (expected: at least one entry)");
    }
    workerClasspath = List.copyOf(workerClasspath);
    Objects.requireNonNull(workerMainClass, "workerMainClass");
    workerJvmOptions = List.copyOf(workerJvmOptions);
    SettingChecks.checkDuration("workerStartTimeout", workerStartTimeout);
    SettingChecks.checkDuration("shutdownTimeout", shutdownTimeout);
    SettingChecks.checkPositive("maxAttempts", maxAttempts);
    Objects.requireNonNull(supervision, "supervision");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(queueFullPolicy, "queueFullPolicy");
    SettingChecks.checkPositive("maxQueuedTasks", maxQueuedTasks, SettingChecks.MAX_TASKS);
    SettingChecks.checkPositive("maxQueuedBytes", maxQueuedBytes, SettingChecks.MAX_BYTES);
    SettingChecks.checkPositive(
        "maxInFlightPerConnection", maxInFlightPerConnection, SettingChecks.MAX_TASKS);
    Objects.requireNonNull(adminHost, "adminHost");
    if (adminHost.isBlank()) {
      throw new IllegalArgumentException("adminHost: '" + adminHost + "' (expected: a host name or address)");
    }
    if (adminPort != NO_ADMIN && (adminPort < 0 || adminPort > 65535)) {
      throw new IllegalArgumentException("adminPort: " + adminPort + " (expected: 0..65535)");
    }
    Objects.requireNonNull(autoscale, "autoscale");
    Objects.requireNonNull(workerLimits, "workerLimits");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(auth, "auth").checkExposure(host);
    if (tls.admin() && adminPort == NO_ADMIN) {
      throw new IllegalArgumentException("adminTls: true (expected: false with --no-admin)");
    }
    Objects.requireNonNull(sharedMemory, "sharedMemory");
    Objects.requireNonNull(connectionLimits, "connectionLimits").checkFrameFits(maxFrameBytes);
    logLevels = java.util.Map.copyOf(new java.util.TreeMap<>(Objects.requireNonNull(logLevels, "logLevels")));
    for (java.util.Map.Entry<String, String> e : logLevels.entrySet()) {
      if (!LOG_LEVELS.contains(e.getValue().toUpperCase(java.util.Locale.ROOT)) || e.getKey().isBlank()) {
        throw new IllegalArgumentException(
            "logLevels: " + e.getKey() + "=" + e.getValue() + " (expected: LOGGER=LEVEL, the level one of " + String.join(", ", LOG_LEVELS) + ")");
      }
    }
    if (autoscale.enabled() && (workers < autoscale.min() || workers > autoscale.max())) {
      throw new IllegalArgumentException(
          "workers: " + workers + " (expected: autoscaleMin..autoscaleMax, " + autoscale.min() + ".." + autoscale.max() + ", while autoscaling)");
    }
  }

  /** Whether the master serves its admin HTTP endpoint. */
  public boolean adminEnabled() {
    return adminPort != NO_ADMIN;
  }

  /** A builder with every default set. */
  public static MasterConfigBuilder builder() {
    return new MasterConfigBuilder();
  }

  /** The whole worker classpath: runtime first, then the handler jars. */
  public List<Path> fullWorkerClasspath() {
    return java.util.stream.Stream.concat(workerRuntimeClasspath.stream(), workerClasspath.stream())
        .toList();
  }
}
