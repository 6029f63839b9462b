package io.drover.worker;

import io.drover.worker.internal.WorkerRuntime;
import java.time.Duration;

/**
 * A worker connected to a Drover master: it registers its task types, runs the tasks the master
 * sends on a pool of {@code capacity} threads and returns their results. It stops when the master
 * asks it to drain (after finishing the tasks in flight), when the connection closes, or on
 * {@link #close()}.
 *
 * <pre>{@code
 * DroverWorker worker =
 *     DroverWorker.builder().fromEnvironment().handler(new MyHandler()).build();
 * worker.start();
 * worker.awaitTermination();
 * }</pre>
 */
public final class DroverWorker implements AutoCloseable {
  private final int workerId;
  private final WorkerRuntime runtime;

  DroverWorker(int workerId, WorkerRuntime runtime) {
    this.workerId = workerId;
    this.runtime = runtime;
  }

  /** A builder for a worker. */
  public static DroverWorkerBuilder builder() {
    return new DroverWorkerBuilder();
  }

  /**
   * Connects to the master and registers; tasks start arriving right after this returns.
   *
   * @throws WorkerStartException when the master's socket cannot be reached
   * @throws IllegalStateException when called twice or after {@link #close()}
   */
  public void start() {
    runtime.start();
  }

  /** Waits until the worker has stopped (drained, disconnected or closed). */
  public void awaitTermination() throws InterruptedException {
    runtime.awaitTermination();
  }

  /** Waits at most {@code timeout} for the worker to stop; returns whether it stopped. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return runtime.awaitTermination(timeout);
  }

  /**
   * Closes the connection, interrupts running handlers and releases the worker's threads, waiting
   * briefly for the event loop to stop; results of unfinished tasks are dropped (the master
   * re-dispatches them). Idempotent.
   */
  @Override
  public void close() {
    runtime.close();
    if (!runtime.inEventLoop()) {
      boolean interrupted = false;
      while (true) {
        try {
          runtime.awaitTermination();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Finishes the tasks this worker holds and stops, telling the master first so it sends no
   * more: what a worker does on SIGTERM. Returns at once; {@link #awaitTermination} waits.
   */
  public void drain() {
    runtime.drain();
  }

  /** The slot id the master assigned this worker. */
  public int workerId() {
    return workerId;
  }

  /** Whether the worker stopped because of a protocol or internal error. */
  boolean failed() {
    return runtime.failed();
  }
}
