package io.drover.examples;

import com.google.protobuf.InvalidProtocolBufferException;
import io.drover.protocol.proto.JobResult;
import io.drover.protocol.proto.Status;
import io.drover.protocol.proto.SubtaskResult;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Task type {@code "sum"}, a job's reduce step: its payload is the job's gathered {@code
 * JobResult}, and it returns the sum of the subtasks' results read as decimal integers, as
 * decimal ASCII. It fails, naming the first culprit, when a subtask did not return OK or its
 * result is not an integer: a sum that silently left parts out would be wrong.
 */
public final class SumHandler implements TaskHandler {
  /** The task type this handler serves. */
  public static final String TASK_TYPE = "sum";

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) throws InvalidProtocolBufferException {
    JobResult gathered = JobResult.parseFrom(payload);
    long sum = 0;
    for (int i = 0; i < gathered.getSubtasksCount(); i++) {
      SubtaskResult r = gathered.getSubtasks(i);
      if (r.getStatus() != Status.OK) {
        throw new IllegalArgumentException(
            "sum: subtask " + i + " has no result (" + r.getStatus() + ": " + r.getMessage() + ")");
      }
      String text = r.getBody().toString(StandardCharsets.UTF_8).trim();
      try {
        sum = Math.addExact(sum, Long.parseLong(text));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("sum: subtask " + i + "'s result '" + text + "' is not an integer");
      }
    }
    return Long.toString(sum).getBytes(StandardCharsets.US_ASCII);
  }

  /** Linear in the payload and never blocks, so it runs on the worker's I/O thread. */
  @Override
  public boolean isNonBlocking() {
    return true;
  }
}
