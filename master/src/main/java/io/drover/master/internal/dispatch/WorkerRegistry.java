package io.drover.master.internal.dispatch;

/**
 * What the dispatcher tells the supervisor about worker connections, and asks it. Called on the
 * dispatch event loop.
 */
public interface WorkerRegistry {
  /**
   * A worker sent its registration.
   *
   * @return {@code null} when {@code workerId} and {@code pid} belong to a process the supervisor
   *     spawned, or why not
   */
  String registered(int workerId, long pid, int capacity, java.util.List<String> taskTypes);

  /** A registered worker's heartbeat. Ignored unless overridden. */
  default void heartbeat(int workerId, long pid, io.drover.protocol.proto.Heartbeat heartbeat) {}

  /** A registered worker announced it is shutting down by itself. Ignored unless overridden. */
  default void draining(int workerId, long pid) {}

  /**
   * The dispatcher asks for a worker to be replaced (it served its quota of tasks). Ignored
   * unless overridden.
   */
  default void recycle(int workerId, long pid, String reason) {}

  /** A registered worker's connection closed. */
  void disconnected(int workerId, long pid);
}
