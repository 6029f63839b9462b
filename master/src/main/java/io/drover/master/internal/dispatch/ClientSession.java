package io.drover.master.internal.dispatch;

import io.drover.protocol.IdMap;

import io.drover.master.internal.transport.OutboundBatch;
import io.drover.master.internal.transport.ResponseWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/** The dispatcher's view of one client connection. */
public final class ClientSession {
  final Channel channel;
  final OutboundBatch out;
  boolean open = true;
  int inFlight;
  /** Tasks accepted and not yet completed, by request id, so that CANCEL can find them. */
  final IdMap<Task> tasks = new IdMap<>();
  /** Jobs accepted and not yet answered, by request id, so that CANCEL can find them. */
  final IdMap<JobGather> jobs = new IdMap<>();
  /** Reading stopped because this connection has too many tasks in flight. */
  boolean pausedForInFlight;
  /** Reading stopped because the master's queue is full (QueueFullPolicy.PAUSE). */
  boolean pausedForQueue;
  /** This connection was sent a GOAWAY: its new requests are refused with SHUTTING_DOWN. */
  boolean goneAway;
  /** Why this connection was sent its GOAWAY. */
  String goAwayReason;
  /** {@link System#nanoTime} of the GOAWAY. */
  long goneAwayAtNanos;
  /** The tenant it authenticated as; null on a master without tenants, or before it authenticates. */
  Tenant tenant;
  /**
   * SUBMIT and JOB frames that arrived while its tenant was at its in-flight limit (what was in the
   * read that reached it), whole, in order; null until the first.
   */
  java.util.ArrayDeque<ByteBuf> held;

  ClientSession(Channel channel, OutboundBatch out) {
    this.channel = channel;
    this.out = out;
  }

  void sendResult(Task task, int status, ByteBuf source, int messageIndex, int messageLength, ByteBuf body) {
    if (open) {
      ResponseWriter.result(
          out, task.requestId, status, source, messageIndex, messageLength, task.attempts, body);
    }
  }

  void sendPartial(long requestId, int subtaskIndex, int status, byte[] message, int attempts, ByteBuf body) {
    if (open) {
      ResponseWriter.partial(out, requestId, subtaskIndex, status, message, attempts, body);
    }
  }

  /** Sends a response whose body is {@code body}, which is released in any case. */
  void sendResponse(long requestId, int status, String message, int attempts, ByteBuf body) {
    if (open) {
      ResponseWriter.response(out, requestId, status, message, attempts, body);
    } else {
      body.release();
    }
  }

  /** Reads from the connection only while it is writable and not over its in-flight limit. */
  void updateReading() {
    boolean read =
        open && !pausedForInFlight && !pausedForQueue && (tenant == null || !tenant.paused) && channel.isWritable();
    if (channel.config().isAutoRead() != read) {
      channel.config().setAutoRead(read);
    }
  }

  void sendError(long requestId, int status, String message, int attempts) {
    if (open) {
      ResponseWriter.error(out, requestId, status, message, attempts);
    }
  }

  @Override
  public String toString() {
    return "client " + channel.remoteAddress();
  }
}
