package io.drover.master.internal.dispatch;

import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.JobResultCodec;
import io.drover.protocol.wire.ProtoWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * One scatter/gather job: the outcome of each of its subtasks as it arrives, in request order,
 * then the reduce task's, until the job can be answered.
 *
 * <p>The gathered bodies are bounded by {@code maxGatheredBytes} (the largest frame a peer
 * accepts, less room for headers): past it, bodies are dropped and the job is answered
 * {@code FRAME_TOO_LARGE} with every subtask's status, so a job whose results do not fit costs
 * the master no more memory than one frame. Streamed results are never kept.
 *
 * <p>Owned by the dispatch event loop, like every task.
 */
final class JobGather {
  /** {@link Task#jobIndex} of a job's reduce task. */
  static final int REDUCE = -1;

  private static final byte[] NOT_STARTED = ProtoWire.EMPTY;

  final ClientSession client;
  final long requestId;
  final boolean stream;
  /** The reduce step's task type; null when the job has none. */
  final TaskType reduceType;
  /** Priority of every task of the job ({@link WaitingTasks#NORMAL} ...). */
  byte priority;
  /** No task of the job may run twice. */
  boolean noRetry;
  /** The JOB request's traceparent, shared by its subtasks and reduce task; empty when none. */
  byte[] traceparent = ProtoWire.EMPTY;
  /** The subtasks placed on workers or queued, by index; null for one answered at once. */
  final Task[] tasks;
  private final int[] statuses;
  private final int[] attempts;
  private final byte[][] messages;
  /** Bodies kept for the final answer or the reduce step; null when neither needs them. */
  private byte[][] bodies;
  private final boolean[] done;
  private final long maxGatheredBytes;
  private int remaining;
  /** Size of the JobResult gathered so far, bodies included. */
  private long gatheredBytes;
  private boolean bodiesDropped;
  private int failed;
  /** The reduce task once started. */
  Task reduceTask;
  private int reduceStatus = -1;
  private byte[] reduceMessage = NOT_STARTED;
  private byte[] reduceBody = ProtoWire.EMPTY;
  private int reduceAttempts;
  /** CANCELLED or DEADLINE_EXCEEDED once the job was cut short; -1 until then. */
  private int endStatus = -1;
  private String endMessage = "";
  /** Fires at the job's deadline; null when it has none. */
  io.netty.util.concurrent.ScheduledFuture<?> deadline;
  /** The client has its final answer (or is gone). */
  boolean finished;

  JobGather(
      ClientSession client,
      long requestId,
      int subtasks,
      boolean stream,
      TaskType reduceType,
      long maxGatheredBytes) {
    this.client = client;
    this.requestId = requestId;
    this.stream = stream;
    this.reduceType = reduceType;
    this.maxGatheredBytes = maxGatheredBytes;
    this.tasks = new Task[subtasks];
    this.statuses = new int[subtasks];
    this.attempts = new int[subtasks];
    this.messages = new byte[subtasks][];
    this.done = new boolean[subtasks];
    this.remaining = subtasks;
    if (!stream || reduceType != null) {
      bodies = new byte[subtasks][];
    }
  }

  /** Subtasks in the job. */
  int size() {
    return tasks.length;
  }

  /** Whether subtask {@code index} has its outcome. */
  boolean isDone(int index) {
    return done[index];
  }

  /** Whether every subtask has its outcome. */
  boolean gathered() {
    return remaining == 0;
  }

  /** Whether the job was cut short (deadline, cancel); no reduce step runs then. */
  boolean cutShort() {
    return endStatus >= 0;
  }

  /** Marks the job cut short; the caller then abandons what is still running. */
  void cutShort(int status, String message) {
    if (endStatus < 0) {
      endStatus = status;
      endMessage = message;
    }
  }

  /**
   * Records subtask {@code index}'s outcome (the first one only) and, when the job streams,
   * sends it to the client at once.
   *
   * @param body the result, or null for none; read, not released
   */
  void record(int index, int status, byte[] message, ByteBuf body, int attemptCount) {
    if (done[index]) {
      return;
    }
    done[index] = true;
    remaining--;
    statuses[index] = status;
    attempts[index] = attemptCount;
    messages[index] = message;
    if (status != Status.OK_VALUE) {
      failed++;
    }
    if (stream) {
      client.sendPartial(requestId, index, status, message, attemptCount, body);
    }
    byte[] kept = ProtoWire.EMPTY;
    if (bodies != null && body != null && body.isReadable()) {
      long entry = JobResultCodec.entrySize(status, message, ProtoWire.EMPTY, attemptCount) + 5L + body.readableBytes();
      if (!bodiesDropped && gatheredBytes + entry <= maxGatheredBytes) {
        kept = ByteBufUtil.getBytes(body);
      } else {
        bodiesDropped = true;
      }
    }
    if (bodies != null) {
      bodies[index] = kept;
    }
    gatheredBytes += JobResultCodec.entrySize(status, message, kept, attemptCount);
  }

  /** Records the reduce task's outcome. */
  void recordReduce(int status, byte[] message, ByteBuf body, int attemptCount) {
    if (reduceStatus >= 0) {
      return;
    }
    reduceStatus = status;
    reduceMessage = message;
    reduceAttempts = attemptCount;
    if (body != null && body.isReadable() && body.readableBytes() <= maxGatheredBytes) {
      reduceBody = ByteBufUtil.getBytes(body);
    } else if (body != null && body.isReadable()) {
      reduceStatus = Status.FRAME_TOO_LARGE_VALUE;
      reduceMessage =
          ProtoWire.utf8(
              "the reduce task's result is " + body.readableBytes() + " bytes, more than the " + frameHolds()
                  + " (--max-frame-bytes raises it)");
    }
  }

  /** Whether the reduce step should run now: every subtask has its outcome and none was lost. */
  boolean readyToReduce() {
    return reduceType != null && reduceTask == null && remaining == 0 && endStatus < 0 && !bodiesDropped;
  }

  /** Whether the reduce task, once started, has its outcome. */
  boolean reduced() {
    return reduceStatus >= 0;
  }

  /**
   * The reduce task's payload: the gathered JobResult, bodies included. The bodies are let go of
   * here, as nothing needs them any more.
   */
  ByteBuf reduceInput(ByteBufAllocator alloc) {
    ByteBuf buf = encode(alloc, true, true);
    bodies = null;
    return buf;
  }

  /** The status of the job's final answer. */
  int finalStatus() {
    if (endStatus >= 0) {
      return endStatus;
    }
    if (bodiesDropped) {
      return Status.FRAME_TOO_LARGE_VALUE;
    }
    boolean reduceFailed = reduceType != null && reduceStatus != Status.OK_VALUE;
    return failed > 0 || reduceFailed ? Status.SUBTASK_FAILED_VALUE : Status.OK_VALUE;
  }

  /** The bound on gathered bodies, and where it comes from. */
  private String frameHolds() {
    return maxGatheredBytes + " bytes a frame holds (the master's --max-frame-bytes less "
        + io.drover.protocol.HumanUnits.bytes(io.drover.protocol.FrameLimits.HEADER_HEADROOM_BYTES) + " for the header)";
  }

  /** The message of the job's final answer: what went wrong, or empty. */
  String finalMessage() {
    StringBuilder m = new StringBuilder();
    if (endStatus >= 0) {
      m.append(endMessage).append("; ");
    }
    if (bodiesDropped) {
      m.append("the results add up to more than the ")
          .append(frameHolds())
          .append(", so their bodies were dropped (stream the job instead, or raise --max-frame-bytes on the master"
              + " and maxFrameBytes on the client); ");
    }
    if (failed > 0) {
      m.append(failed).append(" of ").append(tasks.length).append(" subtasks failed");
      int first = firstFailed();
      m.append(", the first #").append(first).append(' ').append(statusName(statuses[first]));
      if (messages[first].length > 0) {
        m.append(": ").append(new String(messages[first], java.nio.charset.StandardCharsets.UTF_8));
      }
      m.append("; ");
    }
    if (reduceType != null) {
      if (reduceStatus < 0) {
        m.append("reduce '").append(reduceType.name).append("' did not run; ");
      } else if (reduceStatus != Status.OK_VALUE) {
        m.append("reduce '")
            .append(reduceType.name)
            .append("' failed: ")
            .append(statusName(reduceStatus));
        if (reduceMessage.length > 0) {
          m.append(": ").append(new String(reduceMessage, java.nio.charset.StandardCharsets.UTF_8));
        }
        m.append("; ");
      }
    }
    if (m.length() >= 2) {
      m.setLength(m.length() - 2);
    }
    return m.toString();
  }

  private int firstFailed() {
    for (int i = 0; i < statuses.length; i++) {
      if (done[i] && statuses[i] != Status.OK_VALUE) {
        return i;
      }
    }
    return 0;
  }

  private static String statusName(int status) {
    Status s = Status.forNumber(status);
    return s == null ? "status " + status : s.name();
  }

  /**
   * The body of the job's final answer: a JobResult with every subtask's status, message and
   * attempts, their bodies unless they were streamed, reduced or dropped, and the reduce outcome.
   * Messages are dropped too in the unlikely case they alone would not fit in a frame.
   */
  ByteBuf finalBody(ByteBufAllocator alloc) {
    boolean withBodies = bodies != null && !stream && reduceType == null && !bodiesDropped;
    boolean withMessages = encodedSize(withBodies, true) <= maxGatheredBytes;
    ByteBuf buf = encode(alloc, withBodies, withMessages);
    bodies = null;
    return buf;
  }

  /**
   * The JobResult gathered so far: every subtask, with or without its body and message, and the
   * reduce outcome if there is one.
   */
  private ByteBuf encode(ByteBufAllocator alloc, boolean withBodies, boolean withMessages) {
    long size = encodedSize(withBodies, withMessages);
    ByteBuf buf = alloc.buffer((int) Math.min(Integer.MAX_VALUE, size));
    for (int i = 0; i < tasks.length; i++) {
      JobResultCodec.writeEntry(
          buf,
          JobResultCodec.SUBTASKS,
          statuses[i],
          withMessages ? messages[i] : ProtoWire.EMPTY,
          withBodies ? bodies[i] : ProtoWire.EMPTY,
          attempts[i]);
    }
    if (reduceStatus >= 0) {
      JobResultCodec.writeEntry(buf, JobResultCodec.REDUCE, reduceStatus, reduceMessage, reduceBody, reduceAttempts);
    }
    return buf;
  }

  private long encodedSize(boolean withBodies, boolean withMessages) {
    long size = 0;
    for (int i = 0; i < tasks.length; i++) {
      size +=
          JobResultCodec.entrySize(
              statuses[i],
              withMessages ? messages[i] : ProtoWire.EMPTY,
              withBodies ? bodies[i] : ProtoWire.EMPTY,
              attempts[i]);
    }
    if (reduceStatus >= 0) {
      size += JobResultCodec.entrySize(reduceStatus, reduceMessage, reduceBody, reduceAttempts);
    }
    return size;
  }

  @Override
  public String toString() {
    return "job " + requestId + " of " + client + " (" + tasks.length + " subtasks, "
        + (tasks.length - remaining) + " done)";
  }
}
