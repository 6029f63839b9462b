package io.drover.master.dispatch;

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

  /** A registered worker's connection closed. */
  void disconnected(int workerId, long pid);
}
