package io.drover.diagnostics;

import io.drover.worker.DroverWorker;

/**
 * Like {@link EmbeddedWorkerMain}, but with {@code start()} and {@code awaitTermination()} instead
 * of {@code run()}: signals keep the JVM's defaults, so SIGINT (a Ctrl-C in the master's terminal)
 * kills the worker with its tasks in flight. For watching what the master does when its workers
 * die during its shutdown.
 */
public final class SignalDefaultWorkerMain {
  private SignalDefaultWorkerMain() {}

  /** Serves {@code recorded-sleep} tasks until the master lets the worker go, or a signal kills it. */
  public static void main(String[] args) throws Exception {
    DroverWorker worker =
        DroverWorker.builder().fromEnvironment().handler(RecordingSleepHandler.inRecordDirectory()).build();
    worker.start();
    worker.awaitTermination();
  }
}
