package io.drover.master.config;

import io.drover.protocol.FrameLimits;
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
 * @param maxInFlightPerWorker most tasks the master lets a worker hold, running or queued in it
 * @param maxFrameBytes largest frame accepted from a client or worker
 * @param workerRuntimeClasspath classpath holding Drover's worker runtime (normally drover.jar)
 * @param workerClasspath user jars with TaskHandlers, appended to the runtime classpath
 * @param workerMainClass main class each worker JVM runs
 * @param workerJvmOptions options given to each worker JVM before the main class
 * @param workerStartTimeout how long a worker may take to register before start-up fails
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
 */
public record MasterConfig(
    String host,
    int port,
    int workers,
    int workerCapacity,
    int maxInFlightPerWorker,
    int maxFrameBytes,
    List<Path> workerRuntimeClasspath,
    List<Path> workerClasspath,
    String workerMainClass,
    List<String> workerJvmOptions,
    Duration workerStartTimeout,
    Duration shutdownTimeout,
    int maxAttempts,
    Path runtimeDirectoryParent,
    Path workerClassDataDirectory,
    int maxQueuedTasks,
    long maxQueuedBytes,
    int maxInFlightPerConnection,
    QueueFullPolicy queueFullPolicy,
    io.drover.master.schedule.SchedulerKind scheduler,
    SupervisionSettings supervision,
    boolean inline) {

  /** Default TCP port for clients. */
  public static final int DEFAULT_PORT = 7070;
  /** Default worker main class: Drover's own worker runtime. */
  public static final String DEFAULT_WORKER_MAIN = "io.drover.worker.WorkerMain";

  /** Validates every setting; the message names the bad one. */
  public MasterConfig {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or address)");
    }
    checkRange("port", port, 0, 65535);
    checkPositive("workers", workers);
    checkPositive("workerCapacity", workerCapacity);
    checkPositive("maxInFlightPerWorker", maxInFlightPerWorker);
    FrameLimits.checkServingMaxFrameBytes(maxFrameBytes);
    workerRuntimeClasspath = List.copyOf(workerRuntimeClasspath);
    if (workerRuntimeClasspath.isEmpty()) {
      throw new IllegalArgumentException("workerRuntimeClasspath: [] (expected: at least one entry)");
    }
    workerClasspath = List.copyOf(workerClasspath);
    Objects.requireNonNull(workerMainClass, "workerMainClass");
    workerJvmOptions = List.copyOf(workerJvmOptions);
    checkPositive("workerStartTimeout", workerStartTimeout);
    checkPositive("shutdownTimeout", shutdownTimeout);
    checkPositive("maxAttempts", maxAttempts);
    Objects.requireNonNull(supervision, "supervision");
    Objects.requireNonNull(scheduler, "scheduler");
    java.util.Objects.requireNonNull(queueFullPolicy, "queueFullPolicy");
    checkPositive("maxQueuedTasks", maxQueuedTasks);
    if (maxQueuedBytes <= 0) {
      throw new IllegalArgumentException("maxQueuedBytes: " + maxQueuedBytes + " (expected: > 0)");
    }
    checkPositive("maxInFlightPerConnection", maxInFlightPerConnection);
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

  static void checkPositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  static void checkPositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
