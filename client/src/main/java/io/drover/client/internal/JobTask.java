package io.drover.client.internal;

import io.drover.client.DroverTaskException;
import io.drover.client.JobOutcome;
import io.drover.client.SubtaskListener;
import io.drover.client.SubtaskOutcome;
import io.drover.client.TaskStatus;
import io.drover.protocol.proto.JobResult;
import io.drover.protocol.proto.Status;
import io.drover.protocol.proto.SubtaskResult;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * A submitted job: completes with a {@link JobOutcome} parsed from the final answer, after handing
 * each streamed subtask result to its listener (and keeping its body, which the final JobResult
 * leaves out).
 */
public final class JobTask extends PendingTask<JobOutcome> {
  private static final Logger log = ClientLogging.logger(JobTask.class);
  private static final byte[] EMPTY = new byte[0];

  private final int size;
  private final SubtaskListener listener;
  /** Streamed bodies by subtask index; null unless the job streams. */
  private final byte[][] streamed;
  /** A subtask's result has been streamed: the job can no longer be sent again. */
  private boolean streaming;

  /**
   * Creates the task of a job.
   *
   * @param defaultType the subtasks' default type as UTF-8, or empty
   * @param encodedRequest the JobRequest's bytes, with {@code stream} set when {@code listener}
   *     is not null; not modified
   * @param subtasks how many subtasks it has
   * @param listener receives each subtask's outcome as it completes; null: no streaming
   */
  public JobTask(
      ClientConnection owner,
      byte[] defaultType,
      byte[] encodedRequest,
      int subtasks,
      SubtaskListener listener,
      long timeoutNanos) {
    super(owner, RequestHeaderCodec.KIND_JOB, defaultType, encodedRequest, null, timeoutNanos);
    this.size = subtasks;
    this.listener = listener;
    this.streamed = listener == null ? null : new byte[size][];
  }

  @Override
  void partial(int index, int status, String message, int attempts, ByteBuf body) {
    if (streamed == null || index < 0 || index >= size) {
      log.warn("Dropping a streamed result for subtask {} of a job of {} subtasks", index, size);
      return;
    }
    byte[] bytes = body.isReadable() ? ByteBufUtil.getBytes(body) : EMPTY;
    streamed[index] = bytes;
    streaming = true;
    try {
      listener.onSubtask(new SubtaskOutcome(index, TaskStatus.forNumber(status), message, bytes, attempts));
    } catch (RuntimeException e) {
      log.warn("A SubtaskListener threw on subtask {}; the job goes on", index, e);
    }
  }

  /** A job whose results have begun streaming is not sent again: its listener has seen some. */
  @Override
  boolean resendable() {
    return super.resendable() && !streaming;
  }

  @Override
  void succeed(ByteBuf body) {
    answer(Status.OK_VALUE, "", body);
  }

  /**
   * The job was answered: statuses that end a job that ran carry a JobResult; any other is a
   * refusal (OVERLOADED, INVALID_REQUEST, ...), which fails the future.
   */
  @Override
  boolean answer(int status, String message, ByteBuf body) {
    if (status != Status.OK_VALUE
        && status != Status.SUBTASK_FAILED_VALUE
        && status != Status.DEADLINE_EXCEEDED_VALUE
        && status != Status.CANCELLED_VALUE
        && status != Status.FRAME_TOO_LARGE_VALUE) {
      return false;
    }
    JobResult result;
    try {
      result = JobResult.parseFrom(body.nioBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      completeExceptionally(
          new DroverTaskException(TaskStatus.INTERNAL, "the master's JobResult is unreadable: " + e.getMessage(), 0));
      return true;
    }
    if (result.getSubtasksCount() != size) {
      completeExceptionally(
          new DroverTaskException(
              TaskStatus.INTERNAL,
              "the master answered " + result.getSubtasksCount() + " subtask results for a job of " + size,
              0));
      return true;
    }
    List<SubtaskOutcome> outcomes = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      SubtaskResult r = result.getSubtasks(i);
      byte[] bytes = streamed != null && streamed[i] != null ? streamed[i] : r.getBody().toByteArray();
      outcomes.add(toOutcome(i, r, bytes));
    }
    Optional<SubtaskOutcome> reduce =
        result.hasReduce()
            ? Optional.of(toOutcome(-1, result.getReduce(), result.getReduce().getBody().toByteArray()))
            : Optional.empty();
    complete(new JobOutcome(TaskStatus.forNumber(status), message, List.copyOf(outcomes), reduce));
    return true;
  }

  private static SubtaskOutcome toOutcome(int index, SubtaskResult r, byte[] body) {
    return new SubtaskOutcome(
        index, TaskStatus.forNumber(r.getStatusValue()), r.getMessage(), body, r.getAttempts());
  }
}
