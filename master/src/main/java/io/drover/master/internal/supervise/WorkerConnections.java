package io.drover.master.internal.supervise;

/**
 * What the supervisor asks of the dispatcher about a worker's connection. Implementations hand the
 * request to the dispatch event loop; callable from any thread.
 */
public interface WorkerConnections {
  /** Closes the connection of the worker with {@code pid}; its tasks are re-dispatched at once. */
  void disconnect(long pid);

  /** Stops sending tasks to the worker with {@code pid} and asks it to finish and exit. */
  void drain(long pid);

  /**
   * Runs {@code task} on the dispatch loop. The supervisor sends a small probe this way to learn
   * whether the loop, through which heartbeats arrive, is responsive.
   */
  void execute(Runnable task);
}
