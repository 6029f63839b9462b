package io.drover.worker;

import io.drover.worker.internal.ProcessSignals;
import io.drover.worker.internal.WorkerRuntime;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A worker connected to a Drover master: it registers its task types, runs the tasks the master
 * sends on a pool of {@code capacity} threads and returns their results. It stops when the master
 * asks it to drain (after finishing the tasks in flight), when the connection closes, or on
 * {@link #close()}.
 *
 * <p>A worker process's {@code main} of your own (given to the master with {@code
 * --worker-main-class}) is one line: {@link #run()} does what Drover's own {@link WorkerMain}
 * does, signals included.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   System.exit(DroverWorker.builder().fromEnvironment().handler(new MyHandler()).build().run());
 * }
 * }</pre>
 *
 * <p>{@link #start()}, {@link #awaitTermination()}, {@link #drain()} and {@link #close()} are the
 * parts {@link #run()} is made of, for a worker that lives inside a larger program which handles
 * signals itself.
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
   * Runs this worker as the whole of its process, the way {@link WorkerMain} does, and returns the
   * exit status to give {@link System#exit}: connects and registers; on SIGTERM, drains (tells the
   * master, finishes the tasks it holds, stops); ignores SIGINT, because a Ctrl-C in the master's
   * terminal reaches every process of its group and the master then drains its workers itself (a
   * worker that died on it would lose its tasks in flight); and waits until the worker stops.
   *
   * <p>A worker that cannot start says why in one line on standard error, {@code drover worker:
   * worker 2 cannot connect to the master at ...}, which the master quotes in its crash report.
   * Signal handlers belong to the whole JVM: run one worker per process this way.
   *
   * @return {@link WorkerMain#EXIT_OK} after a drain or when the master closed the connection;
   *     {@link WorkerMain#EXIT_FAILED} when the worker could not start or stopped on an error
   * @throws IllegalStateException when the worker was already started or closed
   */
  public int run() {
    return run(System.err);
  }

  int run(PrintStream err) {
    try {
      start();
    } catch (WorkerStartException e) {
      err.println("drover worker: " + e.getMessage());
      return WorkerMain.EXIT_FAILED;
    }
    String problem = ProcessSignals.drainOnTermIgnoreInt(this::drain);
    if (problem != null) {
      err.println("drover worker: " + problem);
    }
    try {
      awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
    return failed() ? WorkerMain.EXIT_FAILED : WorkerMain.EXIT_OK;
  }

  /**
   * Connects to the master and registers; tasks start arriving right after this returns. Signals
   * are left to the caller (see {@link #run()}).
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
