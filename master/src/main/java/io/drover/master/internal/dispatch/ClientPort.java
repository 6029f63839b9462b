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
  /** Who each connection is, and the limits of its tenant. */
  final Tenants tenants;
  private final io.netty.channel.EventLoop loop;
  /** Decodes the frames a tenant's connections held, when they go on. */
  private final RequestHeaderCodec heldHeader = new RequestHeaderCodec();

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
    this.loop = loop;
    this.tenants = new Tenants(pool.typeTable());
    admission.onTenantRoom(this::releaseHeldLater);
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
    TaskType type = pool.findType(frame, header.taskTypeIndex(), header.taskTypeLength());
    Tenant tenant = client.tenant;
    if (tenant != null && tenantHolds(client, tenant, type, header, frame)) {
      return;
    }
    accept(client, header, frame, type);
  }

  /** A SUBMIT its tenant (if any) lets through now. */
  private void accept(ClientSession client, RequestHeaderCodec header, ByteBuf frame, TaskType type) {
    long requestId = header.requestId();
    if (admission.isShuttingDown() || client.goneAway) {
      frame.release();
      refuse(client, requestId);
      return;
    }
    int typeLength = header.taskTypeLength();
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

  // ---- tenants ----

  /**
   * Whether {@code tenant} keeps this request from going on now: refused with PERMISSION_DENIED
   * (its type or priority), or held because the tenant has its maximum in flight (or the
   * connection holds earlier requests, which go first). Out of line: a master without tenants
   * pays the caller's null check only.
   *
   * @param type the SUBMIT's task type, null when unknown or for a JOB
   */
  private boolean tenantHolds(
      ClientSession client, Tenant tenant, TaskType type, RequestHeaderCodec header, ByteBuf frame) {
    String refusal =
        header.kind() == RequestHeaderCodec.KIND_JOB
            ? tenant.jobRefusal(header.priority())
            : tenant.refusal(type, header.priority());
    if (refusal != null) {
      frame.release();
      tenant.denied++;
      refused[Status.PERMISSION_DENIED_VALUE]++;
      client.sendError(header.requestId(), Status.PERMISSION_DENIED_VALUE, refusal, 0);
      return true;
    }
    if (client.held == null || client.held.isEmpty()) {
      if (!tenant.atLimit()) {
        return false;
      }
      if (client.held == null) {
        client.held = new java.util.ArrayDeque<>();
      }
      tenant.holding.add(client);
    }
    // Its whole frame, to be decoded again: what was read past the limit waits here, the rest in
    // the socket (the tenant's connections are not read while it is at its limit).
    client.held.add(frame.readerIndex(header.frameIndex()));
    return true;
  }

  private void releaseHeldLater(Tenant tenant) {
    if (!tenant.releaseScheduled) {
      tenant.releaseScheduled = true;
      // Not from inside the completion that freed the room: placing tasks there would re-enter it.
      loop.execute(() -> releaseHeld(tenant));
    }
  }

  /** Lets a tenant's held requests go on, oldest connection first, while it has room. */
  private void releaseHeld(Tenant tenant) {
    tenant.releaseScheduled = false;
    while (!tenant.atLimit() && !tenant.holding.isEmpty()) {
      ClientSession client = tenant.holding.get(0);
      ByteBuf frame = client.held.poll();
      if (client.held.isEmpty()) {
        tenant.holding.remove(0);
      }
      RequestHeaderCodec header = heldHeader;
      header.decode(frame);
      if (header.kind() == RequestHeaderCodec.KIND_JOB) {
        acceptJob(client, header, frame);
      } else {
        accept(client, header, frame, pool.findType(frame, header.taskTypeIndex(), header.taskTypeLength()));
      }
    }
    admission.resumeIfRoom(tenant);
  }

  @Override
  public boolean mustAuthenticate(ClientSession client) {
    return tenants.required();
  }

  @Override
  public io.drover.master.internal.transport.AuthAnswer authenticate(ClientSession client, ByteBuf frame) {
    return tenants.authenticate(client, frame);
  }

  @Override
  public boolean authenticateCertificate(ClientSession client, javax.security.auth.x500.X500Principal subject) {
    return tenants.authenticateCertificate(client, subject);
  }

  @Override
  public void unauthenticatedFrame(ClientSession client) {
    tenants.failures[Tenants.NO_AUTH_FRAME]++;
  }

  @Override
  public void job(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
    Tenant tenant = client.tenant;
    if (tenant != null && tenantHolds(client, tenant, null, header, frame)) {
      return;
    }
    acceptJob(client, header, frame);
  }

  private void acceptJob(ClientSession client, RequestHeaderCodec header, ByteBuf frame) {
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
      return;
    }
    if (client.held != null && !client.held.isEmpty()) {
      cancelHeld(client, requestId);
    }
  }

  /** A CANCEL for a request its tenant's limit holds: it never runs, and is answered CANCELLED. */
  private void cancelHeld(ClientSession client, long requestId) {
    for (java.util.Iterator<ByteBuf> i = client.held.iterator(); i.hasNext(); ) {
      ByteBuf frame = i.next();
      int start = frame.readerIndex();
      heldHeader.decode(frame);
      frame.readerIndex(start);
      if (heldHeader.requestId() == requestId) {
        i.remove();
        frame.release();
        if (client.held.isEmpty()) {
          client.tenant.holding.remove(client);
          admission.resumeIfRoom(client.tenant);
        }
        client.sendError(requestId, Status.CANCELLED_VALUE, "cancelled by the client", 0);
        return;
      }
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
    return client.goneAway
        || !client.tasks.isEmpty()
        || !client.jobs.isEmpty()
        || (client.held != null && !client.held.isEmpty()); // requests its tenant's limit holds
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
    tenants.clientGone(client);
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
