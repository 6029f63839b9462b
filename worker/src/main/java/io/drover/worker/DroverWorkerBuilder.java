package io.drover.worker;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.HumanUnits;
import io.drover.worker.internal.DomainSocketTransport;
import io.drover.worker.internal.HandlerRegistry;
import io.drover.worker.internal.WorkerConfig;
import io.drover.worker.internal.WorkerRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Configures a {@link DroverWorker}. The master passes a worker's settings in environment
 * variables ({@link #fromEnvironment()}); each can also be set in code, the last call winning.
 */
public final class DroverWorkerBuilder {
  /** Environment variable with the path of the master's Unix domain socket (required). */
  public static final String ENV_SOCKET = "DROVER_WORKER_SOCKET";
  /** Environment variable with the worker's slot id (default 0). */
  public static final String ENV_WORKER_ID = "DROVER_WORKER_ID";
  /** Environment variable with the number of tasks run at once (default 16). */
  public static final String ENV_CAPACITY = "DROVER_WORKER_CAPACITY";
  /** Environment variable with the largest frame accepted from the master. */
  public static final String ENV_MAX_FRAME_BYTES = "DROVER_MAX_FRAME_BYTES";
  /** Environment variable: heartbeat period in milliseconds (default 1000). */
  public static final String ENV_HEARTBEAT_INTERVAL_MS = "DROVER_HEARTBEAT_INTERVAL_MS";
  /**
   * Environment variable with the worker's 0-based index in the pool (like PM2's {@code
   * NODE_APP_INSTANCE}). Set by the master for handlers that want it; the worker itself ignores it.
   */
  public static final String ENV_WORKER_INDEX = "DROVER_WORKER_INDEX";

  /** Default number of tasks a worker runs at once. */
  public static final int DEFAULT_CAPACITY = 16;

  /**
   * Most tasks a worker runs at once: each takes a handler thread, and the worker's limits that
   * scale with its capacity must not overflow.
   */
  public static final int MAX_CAPACITY = 10_000;

  /** Longest heartbeat interval: the master passes it in an int of milliseconds. */
  private static final java.time.Duration MAX_HEARTBEAT_INTERVAL =
      java.time.Duration.ofMillis(Integer.MAX_VALUE);

  private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
  private Path socketPath;
  private int workerId;
  private int capacity = DEFAULT_CAPACITY;
  private int maxFrameBytes = FrameLimits.DEFAULT_MAX_FRAME_BYTES;
  private java.time.Duration heartbeatInterval = java.time.Duration.ofSeconds(1);
  private DomainSocketTransport transport = DomainSocketTransport.best();

  DroverWorkerBuilder() {}

  /** The master's Unix domain socket to connect to. */
  public DroverWorkerBuilder socketPath(Path socketPath) {
    this.socketPath = Objects.requireNonNull(socketPath, "socketPath");
    return this;
  }

  /** The slot id the master assigned (reported in REGISTER and error messages). */
  public DroverWorkerBuilder workerId(int workerId) {
    this.workerId = checkNotNegative("workerId", workerId);
    return this;
  }

  /**
   * How many tasks run at once, i.e. the size of the handler thread pool (default 16).
   *
   * @throws IllegalArgumentException when it is not within 1..{@value #MAX_CAPACITY}
   */
  public DroverWorkerBuilder capacity(int capacity) {
    this.capacity = checkPositive("capacity", capacity);
    if (capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "capacity: " + capacity + " (expected: <= " + MAX_CAPACITY + ")");
    }
    return this;
  }

  /** How often the worker sends a heartbeat to the master (default 1 s). */
  public DroverWorkerBuilder heartbeatInterval(java.time.Duration interval) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("heartbeatInterval: " + HumanUnits.duration(interval) + " (expected: > 0)");
    }
    if (interval.compareTo(MAX_HEARTBEAT_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "heartbeatInterval: " + HumanUnits.duration(interval) + " (expected: <= " + HumanUnits.duration(MAX_HEARTBEAT_INTERVAL) + ")");
    }
    this.heartbeatInterval = interval;
    return this;
  }

  /**
   * The master's maximum frame size (default 16 MiB): results larger than this less 4 KiB for
   * headers are answered {@code RESULT_TOO_LARGE} instead of being sent.
   *
   * @throws IllegalArgumentException when it is below 8 KiB or above 1 GiB
   */
  public DroverWorkerBuilder maxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = FrameLimits.checkServingMaxFrameBytes(maxFrameBytes);
    return this;
  }

  /**
   * Adds a handler.
   *
   * @throws IllegalArgumentException when its task type is empty, longer than 255 UTF-8 bytes, or
   *     already served by another handler
   */
  public DroverWorkerBuilder handler(TaskHandler handler) {
    Objects.requireNonNull(handler, "handler");
    String type = handler.taskType();
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException(
          "handler " + handler.getClass().getName() + " has an empty task type");
    }
    int bytes = type.getBytes(StandardCharsets.UTF_8).length;
    if (FrameLimits.taskTypeProblem(bytes) != null) {
      throw new IllegalArgumentException(
          "task type of " + handler.getClass().getName() + ": " + bytes + " bytes (expected: <= "
              + FrameLimits.MAX_TASK_TYPE_BYTES + ")");
    }
    TaskHandler previous = handlers.putIfAbsent(type, handler);
    if (previous != null) {
      throw new IllegalArgumentException(
          "duplicate handler for task type '" + type + "': " + previous.getClass().getName()
              + " and " + handler.getClass().getName());
    }
    return this;
  }

  /** Adds every {@link TaskHandler} that {@link ServiceLoader} finds with the context class loader. */
  public DroverWorkerBuilder discoverHandlers() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return discoverHandlers(loader != null ? loader : DroverWorkerBuilder.class.getClassLoader());
  }

  /** Adds every {@link TaskHandler} that {@link ServiceLoader} finds with {@code classLoader}. */
  public DroverWorkerBuilder discoverHandlers(ClassLoader classLoader) {
    for (TaskHandler handler : ServiceLoader.load(TaskHandler.class, classLoader)) {
      handler(handler);
    }
    return this;
  }

  /**
   * Reads the settings the master passes: {@value #ENV_SOCKET}, {@value #ENV_WORKER_ID}, {@value
   * #ENV_CAPACITY} and {@value #ENV_MAX_FRAME_BYTES}; unset variables leave settings unchanged.
   *
   * @throws IllegalArgumentException naming the variable when a value is not a valid number
   */
  public DroverWorkerBuilder fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  DroverWorkerBuilder fromEnvironment(Map<String, String> env) {
    String socket = env.get(ENV_SOCKET);
    if (socket != null && !socket.isBlank()) {
      socketPath(Path.of(socket));
    }
    String id = env.get(ENV_WORKER_ID);
    if (id != null) {
      workerId(parseInt(ENV_WORKER_ID, id));
    }
    String cap = env.get(ENV_CAPACITY);
    if (cap != null) {
      capacity(parseInt(ENV_CAPACITY, cap));
    }
    String heartbeat = env.get(ENV_HEARTBEAT_INTERVAL_MS);
    if (heartbeat != null) {
      heartbeatInterval(java.time.Duration.ofMillis(parseInt(ENV_HEARTBEAT_INTERVAL_MS, heartbeat)));
    }
    String max = env.get(ENV_MAX_FRAME_BYTES);
    if (max != null) {
      maxFrameBytes(parseInt(ENV_MAX_FRAME_BYTES, max));
    }
    return this;
  }

  DroverWorkerBuilder transport(DomainSocketTransport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  /**
   * Builds the worker; it connects on {@link DroverWorker#start()}.
   *
   * @throws IllegalStateException when no socket path or no handler is set
   */
  public DroverWorker build() {
    if (socketPath == null) {
      throw new IllegalStateException(
          "no master socket: set " + ENV_SOCKET + " or call socketPath(...)");
    }
    if (handlers.isEmpty()) {
      throw new IllegalStateException(
          "no task handlers: call handler(...) or list implementations in "
              + "META-INF/services/io.drover.worker.TaskHandler");
    }
    HandlerRegistry registry = new HandlerRegistry(new ArrayList<>(handlers.values()));
    WorkerConfig config = new WorkerConfig(socketPath, workerId, capacity, maxFrameBytes, registry, heartbeatInterval);
    return new DroverWorker(workerId, new WorkerRuntime(config, transport));
  }

  static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' (expected: an integer)", e);
    }
  }

  private static int checkPositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  private static int checkNotNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
    return value;
  }
}
