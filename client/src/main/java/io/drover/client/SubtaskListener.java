package io.drover.client;

/**
 * Receives each subtask's outcome of a streamed job as soon as it completes, before the job's
 * {@link JobOutcome}. Called on the connection's event loop: keep it short and never block.
 */
@FunctionalInterface
public interface SubtaskListener {
  /** Subtask {@code outcome.index()} completed. */
  void onSubtask(SubtaskOutcome outcome);
}
