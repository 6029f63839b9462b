package io.drover.master.internal.dispatch;

import io.drover.master.internal.transport.OutboundBatch;
import io.drover.master.internal.transport.WorkerFrameListener;
import io.drover.protocol.proto.Heartbeat;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What worker connections tell the dispatcher, as the transport delivers it: a registration joins
 * the {@link WorkerPool}; a result goes back to its client (or into its job) and the worker is
 * refilled; a closed connection's tasks go to {@link CrashRetries}.
 */
final class WorkerPort implements WorkerFrameListener<WorkerSession> {
  private static final Logger log = LoggerFactory.getLogger(WorkerPort.class);

  private final WorkerRegistry registry;
  private final WorkerPool pool;
  private final TaskLedger ledger;
  private final Placement placement;
  private final CrashRetries retries;
  private final JobCoordinator jobs;
  /** Where large payloads go for workers that map it; null when shared memory is off. */
  private io.drover.master.internal.shm.PayloadRegion payloadRegion;

  WorkerPort(
      WorkerRegistry registry,
      WorkerPool pool,
      TaskLedger ledger,
      Placement placement,
      CrashRetries retries,
      JobCoordinator jobs) {
    this.registry = registry;
    this.pool = pool;
    this.ledger = ledger;
    this.placement = placement;
    this.retries = retries;
    this.jobs = jobs;
  }

  /** Sends large payloads through {@code region} to the workers that register from now on (null: off). */
  void payloadRegion(io.drover.master.internal.shm.PayloadRegion region) {
    this.payloadRegion = region;
  }

  @Override
  public WorkerSession workerConnected(Channel channel, OutboundBatch out, long peerPid) {
    return attached(new SocketWorkerLink(out), peerPid);
  }

  /** A worker reached through {@code link}; {@code peerPid} is -1 when it has no socket. */
  WorkerSession attached(WorkerLink link, long peerPid) {
    return new WorkerSession(link, peerPid, placement.timesTasks());
  }

  @Override
  public String registered(WorkerSession worker, Registration registration) {
    String refusal = pool.register(worker, registration);
    if (refusal == null) {
      if (payloadRegion != null && registration.getSharedMemory()) {
        // Before any task: the socket keeps the order, so the worker maps the region first.
        worker.shm = payloadRegion;
        worker.link.sendMapRegion(payloadRegion.offer());
      }
      retries.isolate();
      placement.fill(worker);
    }
    return refusal;
  }

  @Override
  public void result(WorkerSession worker, WorkerEventCodec header, ByteBuf frame) {
    long now;
    ByteBuf body = frame;
    try {
      if (header.regionLength() != 0) {
        body = resultInRegion(worker, header, frame);
        if (body == null) {
          return;
        }
      }
      Task task = worker.inFlight.remove(header.taskId());
      if (task == null) {
        log.warn("{} sent a result for unknown task {}; ignored", worker, header.taskId());
        return;
      }
      // The scheduler's service times need the exact clock; the metrics make do with the turn's.
      now = worker.timed ? System.nanoTime() : task.client.out.turnNanos();
      task.worker = null;
      retries.resultArrived(worker, task);
      if (worker.stuck != null) {
        pool.unstuck(worker, task);
      }
      if (task.answered) {
        // Answered already (deadline passed, cancelled): the result is dropped.
        worker.roundTrip(task, now);
        pool.countResult(worker);
        ledger.complete(task);
      } else if (header.status() == Status.SHUTTING_DOWN_VALUE) {
        // The worker was draining and never ran it: place it again without counting an attempt.
        task.attempts--;
        worker.accepting = false;
        placement.redispatch(task);
        return;
      } else {
        worker.roundTrip(task, now);
        pool.countResult(worker);
        if (header.status() != Status.OK_VALUE) {
          worker.failed++;
        }
        if (worker.timed) {
          worker.recordServiceTime(now - task.sentAtNanos);
        }
        if (task.job == null) {
          task.type.stats.run.record(now - task.sentAtNanos);
        }
        answer(task, header, frame, body);
        ledger.complete(task);
      }
    } finally {
      if (body != frame && body != null) {
        body.release();
      }
      frame.release();
    }
    retries.afterResult(worker);
    placement.fill(worker, now);
    if (worker.stuck != null) {
      pool.disconnectIfOnlyStuck(worker);
    }
  }

  /** The body of a result in the worker's region, or null after closing a worker that has none. */
  private static ByteBuf resultInRegion(WorkerSession worker, WorkerEventCodec header, ByteBuf frame) {
    String problem;
    if (worker.results == null) {
      problem = "a result in shared memory, but it has no result region";
    } else {
      try {
        ByteBuf body = worker.results.body(header.regionOffset(), header.regionLength());
        worker.shm.resultShared();
        return body;
      } catch (IndexOutOfBoundsException e) {
        problem = "a result outside its region: " + e.getMessage();
      }
    }
    log.error("{} sent {}; disconnecting it", worker, problem);
    worker.link.close();
    return null;
  }

  private void answer(Task task, WorkerEventCodec header, ByteBuf frame, ByteBuf body) {
    if (task.job == null) {
      task.type.stats.answered(header.status());
      task.client.sendResult(task, header.status(), frame, header.messageIndex(), header.messageLength(), body);
    } else {
      byte[] message =
          header.messageLength() == 0
              ? ProtoWire.EMPTY
              : ByteBufUtil.getBytes(frame, header.messageIndex(), header.messageLength());
      jobs.record(task, header.status(), message, body);
    }
  }

  @Override
  public String resultRegion(WorkerSession worker, ByteBuf body) {
    if (worker.shm == null || worker.results != null) {
      return "it sent a result region, which the master did not offer";
    }
    java.nio.file.Path path = java.nio.file.Path.of(body.toString(java.nio.charset.StandardCharsets.UTF_8));
    try {
      WorkerLink link = worker.link;
      worker.results = io.drover.master.internal.shm.WorkerResults.map(path, link::sendRelease);
      return null;
    } catch (java.io.IOException | RuntimeException e) {
      return "cannot map its result region " + path + ": " + e;
    }
  }

  @Override
  public void heartbeat(WorkerSession worker, ByteBuf body) {
    Heartbeat heartbeat;
    try {
      heartbeat = Heartbeat.parseFrom(ByteBufUtil.getBytes(body, body.readerIndex(), body.readableBytes(), false));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      log.warn("{} sent a malformed heartbeat: {}", worker, e.getMessage());
      return;
    }
    worker.lastHeartbeat = heartbeat;
    registry.heartbeat(worker.workerId, worker.pid, heartbeat);
  }

  @Override
  public void draining(WorkerSession worker) {
    log.info("{} is draining by itself; sending it no more tasks", worker);
    worker.accepting = false;
    registry.draining(worker.workerId, worker.pid);
  }

  @Override
  public void writabilityChanged(WorkerSession worker, boolean writable) {
    worker.writable = writable;
    if (writable) {
      placement.fill(worker);
    }
  }

  @Override
  public void workerDisconnected(WorkerSession worker) {
    worker.accepting = false;
    if (worker.results != null) {
      worker.results.close();
    }
    if (worker.workerId < 0) {
      return;
    }
    pool.remove(worker);
    retries.workerLost(worker);
  }
}
