package io.drover.master.cli;

import io.drover.worker.WorkerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code drover worker}: runs a worker process. The master starts workers itself; this verb is
 * for debugging a worker by hand against a running master's socket.
 */
@Command(
    name = "worker",
    hidden = true,
    description = "Run one worker process (the master does this itself; for debugging).")
final class WorkerCommand implements Runnable {
  @Parameters(arity = "0..*", description = "Arguments passed to the worker runtime.")
  String[] args = new String[0];

  @Override
  public void run() {
    WorkerMain.main(args);
  }
}
