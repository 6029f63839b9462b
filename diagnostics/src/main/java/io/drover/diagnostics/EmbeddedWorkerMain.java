package io.drover.diagnostics;

import io.drover.worker.DroverWorker;

/**
 * A worker main class of one's own, written as an embedder would, with only the public embedding
 * API and its handler given in code: {@code --worker-main-class
 * io.drover.diagnostics.EmbeddedWorkerMain --worker-env DROVER_RECORD_DIR=DIR}. It serves {@link
 * RecordingSleepHandler}, which records every task it runs in {@code DIR/worker-<pid>.log}; it
 * drains with the master on Ctrl-C.
 */
public final class EmbeddedWorkerMain {
  private EmbeddedWorkerMain() {}

  /** Serves {@code recorded-sleep} tasks until the master lets the worker go. */
  public static void main(String[] args) throws Exception {
    System.exit(DroverWorker.builder().fromEnvironment().handler(RecordingSleepHandler.inRecordDirectory()).build().run());
  }
}
