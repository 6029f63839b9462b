package io.drover.client;

import java.util.List;
import java.util.Optional;

/**
 * The answer to a {@link Job}: every subtask's outcome in the order the subtasks were added, and
 * the reduce task's, if the job has one and it ran.
 *
 * <p>{@link #status()} is {@link TaskStatus#OK} when every subtask (and the reduce task)
 * returned a result; {@link TaskStatus#SUBTASK_FAILED} when at least one did not; {@link
 * TaskStatus#DEADLINE_EXCEEDED} or {@link TaskStatus#CANCELLED} when the job was cut short (the
 * subtasks that finished in time keep their results); {@link TaskStatus#FRAME_TOO_LARGE} when the
 * results did not fit in one frame (statuses only: stream such jobs).
 *
 * @param status the job's status
 * @param message what went wrong, or empty
 * @param subtasks one outcome per subtask, in order
 * @param reduce the reduce task's outcome, when it ran
 */
public record JobOutcome(TaskStatus status, String message, List<SubtaskOutcome> subtasks, Optional<SubtaskOutcome> reduce) {
  /** Whether every subtask, and the reduce task if any, returned a result. */
  public boolean isOk() {
    return status == TaskStatus.OK;
  }

  /** The subtasks that did not return a result. */
  public List<SubtaskOutcome> failed() {
    return subtasks.stream().filter(s -> !s.isOk()).toList();
  }

  @Override
  public String toString() {
    return "JobOutcome{" + status + (message.isEmpty() ? "" : ": " + message) + ", "
        + subtasks.size() + " subtasks, " + failed().size() + " failed"
        + reduce.map(r -> ", reduce " + r.status()).orElse("") + '}';
  }
}
