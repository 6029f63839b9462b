package io.drover.master.internal.dispatch;

import io.drover.master.internal.transport.ClientFrameListener;
import io.drover.master.internal.transport.OutboundBatch;
import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What client connections ask of the dispatcher, as the transport delivers it: a SUBMIT becomes a
 * {@link Task} that is placed, a JOB goes to the {@link JobCoordinator}, a CANCEL answers a task
 * or job early, and a closed connection's work is stopped on the workers.
 */
final class ClientPort implements ClientFrameListener<ClientSession> {
  private static final Logger log = LoggerFactory.getLogger(ClientPort.class);

  private final Admission admission;
  private final TaskLedger ledger;
  private final Placement placement;
  private final WorkerPool pool;
  private final JobCoordinator jobs;
  /** The open connections, for status and metrics; changed on connect and disconnect only. */
  private final java.util.Set<ClientSession> sessions = new java.util.LinkedHashSet<>();
  /** Client connections accepted since the start. */
  long connectionsAccepted;
  /**
   * Tasks refused before they became tasks (shutting down, unknown type), by status number: they
   * have no type label that could be trusted to stay bounded.
   */
  final long[] refused = new long[TaskStats.STATUS_SLOTS];
  /** GOAWAY to every connection, once the master stops taking work on them. */
  final GoAway goAway;

  ClientPort(
      io.netty.channel.EventLoop loop,
      Admission admission,
      TaskLedger ledger,
      Placement placement,
      WorkerPool pool,
      JobCoordinator jobs) {
    this.admission = admission;
    this.ledger = ledger;
    this.placement = placement;
    this.pool = pool;
    this.jobs = jobs;
    this.goAway = new GoAway(loop, sessions);
  }

  @Override
  public ClientSession clientConnected(Channel channel, OutboundBatch out) {
    connectionsAccepted++;
    ClientSession session = new ClientSession(channel, out);
    sessions.add(session);
    goAway.connected(session);
    return session;
  }

  /** The open connections, oldest first. */
  java.util.Collection<ClientSession> sessions() {
    return sessions;
  }

  @Override
  public void submit(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
    long requestId = header.requestId();
    if (admission.isShuttingDown() || client.goneAway) {
      frame.release();
      refuse(client, requestId);
      return;
    }
    int typeLength = header.taskTypeLength();
    TaskType type = pool.findType(frame, header.taskTypeIndex(), typeLength);
    if (type == null || type.workers.isEmpty()) {
      String name = frame.toString(header.taskTypeIndex(), typeLength, StandardCharsets.UTF_8);
      frame.release();
      log.debug("{}: unknown task type '{}'", client, name);
      int status = typeStatus(typeLength);
      refused[status]++;
      client.sendError(requestId, status, pool.typeProblem(name, typeLength), 0);
      return;
    }
    long now = client.out.turnNanos();
    Task task = ledger.newTask(client, requestId, type, frame);
    task.sentAtNanos = now;
    type.stats.submitted++;
    task.noRetry = header.noRetry();
    task.priority = WaitingTasks.of(header.priority());
    ledger.track(task);
    if (header.timeoutMs() != 0) {
      ledger.startDeadline(task, header.timeoutMs());
    }
    if (header.routingKeyLength() > 0) {
      task.routingHash = RoutingKeys.hash(frame, header.routingKeyIndex(), header.routingKeyLength());
    }
    if (header.traceparentLength() != 0) {
      traced(task, header, frame); // a call, so the untraced path's method stays as small as before
    }
    admission.accepted(client, 1);
    placement.dispatch(task, now);
  }

  /** Answers a request that came after shutdown began or after its connection's GOAWAY. */
  void refuse(ClientSession client, long requestId) {
    refused[Status.SHUTTING_DOWN_VALUE]++;
    String message = client.goneAway ? goAway.refusal(client) : "the master is shutting down";
    client.sendError(requestId, Status.SHUTTING_DOWN_VALUE, message, 0);
  }

  private static void traced(Task task, RequestHeaderCodec header, ByteBuf frame) {
    task.extras().traceparent = traceparent(header, frame);
  }

  /**
   * A copy of the request's traceparent, which the codec found well formed: bytes, not a String,
   * as the master only forwards it.
   */
  static byte[] traceparent(RequestHeaderCodec header, ByteBuf frame) {
    byte[] bytes = new byte[header.traceparentLength()];
    frame.getBytes(header.traceparentIndex(), bytes);
    return bytes;
  }

  /** Why a task type that no worker serves is refused: INVALID_REQUEST or UNKNOWN_TASK_TYPE. */
  static int typeStatus(int typeBytes) {
    return FrameLimits.taskTypeProblem(typeBytes) != null
        ? Status.INVALID_REQUEST_VALUE
        : Status.UNKNOWN_TASK_TYPE_VALUE;
  }

  @Override
  public void job(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
    if (client.goneAway) {
      frame.release();
      refuse(client, header.requestId());
      return;
    }
    jobs.accept(client, header, frame);
  }

  @Override
  public void cancel(ClientSession client, long requestId) {
    Task task = client.tasks.get(requestId);
    if (task != null) {
      ledger.abandon(task, Status.CANCELLED_VALUE, "cancelled by the client");
      return;
    }
    JobGather job = client.jobs.get(requestId);
    if (job != null) {
      jobs.cutShort(job, Status.CANCELLED_VALUE, "cancelled by the client");
    }
  }

  @Override
  public void ping(ClientSession client, long requestId) {
    client.sendError(requestId, Status.OK_VALUE, "", 0);
  }

  @Override
  public void writabilityChanged(ClientSession client) {
    client.updateReading();
  }

  @Override
  public boolean holdsWork(ClientSession client) {
    return client.goneAway || !client.tasks.isEmpty() || !client.jobs.isEmpty();
  }

  @Override
  public void goAway(ClientSession client, String reason) {
    goAway.one(client, reason);
  }

  @Override
  public void clientDisconnected(ClientSession client) {
    client.open = false;
    sessions.remove(client);
    admission.clientGone(client);
    for (TaskType type : pool.types()) {
      type.waiting.forget(client);
    }
    // Nobody will read these results: stop the work on the workers now.
    for (Task task : client.tasks.values()) {
      ledger.forget(task);
    }
    jobs.clientDisconnected(client);
    if (client.inFlight > 0) {
      log.info("{} disconnected with {} tasks in flight; their results will be dropped", client, client.inFlight);
    }
  }
}
