package io.drover.client;

/**
 * The outcome of one subtask of a job (or of its reduce task, whose index is {@code -1}).
 *
 * @param index the subtask's position in the {@link Job}, from 0; -1 for the reduce task
 * @param status {@link TaskStatus#OK} or why it has no result
 * @param message detail when the status is not OK, else empty
 * @param body the handler's result; empty when it failed
 * @param attempts how many times it was dispatched to a worker (0 when it never was)
 */
public record SubtaskOutcome(int index, TaskStatus status, String message, byte[] body, int attempts) {
  /** Whether the subtask returned a result. */
  public boolean isOk() {
    return status == TaskStatus.OK;
  }

  @Override
  public String toString() {
    return "SubtaskOutcome{" + index + ", " + status + (message.isEmpty() ? "" : ": " + message)
        + ", " + body.length + " bytes, attempts=" + attempts + '}';
  }
}
