package io.drover.client.internal;

import io.drover.client.DroverConnectionException;
import io.drover.client.DroverBackpressureException;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskStatus;
import io.drover.protocol.FrameLimits;
import io.drover.protocol.HumanUnits;
import io.drover.protocol.frame.FrameTooLargeException;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * The last handler of a client channel, and the owner of everything about one connection: the
 * submission queue, the requests in flight, their limit and the write batch.
 *
 * <p>Threads: {@link #submit} and {@link #close} may be called from any thread. Other threads only
 * offer tasks to {@link #queue}; whoever holds {@link #drainScheduled} is the queue's single
 * consumer (normally the drain task on the event loop, or the submitting thread if the event loop
 * has shut down). Everything else, the pending table above all, is touched only on the event
 * loop, so there are no locks. A submitting thread takes a permit of the {@link InFlightLimit}
 * (maybe waiting for one) before it queues a task; the event loop gives it back, through {@link
 * #leave}, before it completes the task's future, so that a callback of that future finds room.
 *
 * <p>At most {@code maxOutstanding} requests are written and unanswered at once, the most the
 * master reads from one connection ({@code --max-in-flight-per-connection}) before it stops
 * reading. The rest wait in the {@link #backlog}, in order, and their timeouts start only when
 * they are written: a request's timeout covers the time the master holds it, never the time it
 * waited in the client for the master to take more.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter {
  private static final Logger logger = ClientLogging.logger(ClientConnection.class);

  /** Most tasks one drain run takes before it flushes and yields to the event loop's reads. */
  private static final int MAX_TASKS_PER_DRAIN = 16 * 1024;

  private final String remote;
  private final EventLoop loop;
  private final int maxFrameBytes;
  private final Queue<PendingTask<?>> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainer = this::drain;
  private final InFlightLimit inFlight;
  private final int maxOutstanding;
  private final AtomicReference<DroverConnectionException> failure = new AtomicReference<>();
  /** Where requests go that this connection cannot send; null: none, they fail instead. */
  private final ConnectionFollower follower;

  // Event-loop state.
  /** Requests written and not yet answered. */
  private final PendingTable pending = new PendingTable(1024);
  /**
   * Requests accepted and not yet written, in order: waiting for room among {@link
   * #maxOutstanding}, or for the channel to be writable. No id yet, and (unless sent before on
   * another connection) no clock.
   */
  private final ArrayDeque<PendingTask<?>> backlog = new ArrayDeque<>();
  private final TaskTimeouts timeouts;
  private final ResponseHeaderCodec header = new ResponseHeaderCodec();
  private ChannelHandlerContext ctx;
  private ClientWriteBatch batch;
  private boolean reading;
  private boolean draining;
  /**
   * The connection takes no new requests: it got a GOAWAY or was lost. New requests, and those
   * answered SHUTTING_DOWN after a GOAWAY, go back to the {@link #follower}.
   */
  private boolean retired;
  private boolean goneAway;

  /**
   * Creates the handler of a connection to {@code remote} ({@code host:port}, for messages) whose
   * channel will be registered with {@code loop}.
   */
  public ClientConnection(
      String remote, EventLoop loop, int maxFrameBytes, InFlightLimit inFlight, int maxOutstanding) {
    this(remote, loop, maxFrameBytes, inFlight, maxOutstanding, null);
  }

  /**
   * As {@link #ClientConnection(String, EventLoop, int, InFlightLimit, int)}, handing the requests
   * it cannot send to {@code follower} (null: failing them).
   */
  ClientConnection(
      String remote,
      EventLoop loop,
      int maxFrameBytes,
      InFlightLimit inFlight,
      int maxOutstanding,
      ConnectionFollower follower) {
    if (maxOutstanding <= 0) {
      throw new IllegalArgumentException("maxOutstanding: " + maxOutstanding + " (expected: > 0)");
    }
    this.follower = follower;
    this.remote = remote;
    this.loop = loop;
    this.maxFrameBytes = maxFrameBytes;
    this.inFlight = inFlight;
    this.maxOutstanding = maxOutstanding;
    this.timeouts = new TaskTimeouts(loop, this::timedOut);
    // A loop shut down under the connection may never run the channel's close events; once its
    // thread is gone nothing else touches this state, so fail what is left from here.
    loop.terminationFuture().addListener(done -> afterLoopTerminated());
  }

  private void afterLoopTerminated() {
    failure.compareAndSet(
        null, new DroverConnectionException("the event loop of the connection to " + remote + " has shut down"));
    drainScheduled.set(false);
    shutdown(null);
    if (follower != null) {
      follower.loopTerminated(failure.get());
    }
  }

  /** Tasks accepted and not yet completed. */
  public int inFlight() {
    return inFlight.inFlight();
  }

  /** Whether the connection still accepts tasks. */
  public boolean isOpen() {
    return failure.get() == null;
  }

  /**
   * Sends {@code task}, first waiting for room among the requests in flight if need be; returns
   * it, already failed when the connection is closed, the request is larger than the maximum frame
   * size, or there was no room in time.
   */
  public <T> PendingTask<T> submit(PendingTask<T> task) {
    DroverConnectionException f = failure.get();
    if (f != null) {
      task.discardPayload();
      task.completeExceptionally(f);
      return task;
    }
    long frameBytes = task.frameBytesUpperBound();
    if (frameBytes > maxFrameBytes) {
      task.discardPayload();
      task.completeExceptionally(
          new DroverTaskException(
              TaskStatus.FRAME_TOO_LARGE,
              FrameLimits.frameTooLargeMessage(
                  "request", frameBytes, maxFrameBytes, "the client's maxFrameBytes and the master's --max-frame-bytes"),
              0));
      return task;
    }
    DroverBackpressureException noRoom = inFlight.acquire();
    if (noRoom != null) {
      task.discardPayload();
      task.completeExceptionally(noRoom);
      return task;
    }
    if (loop.inEventLoop()) {
      submitOnLoop(task);
    } else {
      queue.offer(task);
      scheduleDrain();
    }
    return task;
  }

  /**
   * Fails every task with {@code cause} and closes the channel. Returns at once; the work happens
   * on the event loop.
   */
  public void close(DroverConnectionException cause) {
    failure.compareAndSet(null, cause);
    if (loop.inEventLoop()) {
      shutdown(null);
      return;
    }
    try {
      loop.execute(() -> shutdown(null));
    } catch (RejectedExecutionException e) {
      scheduleDrain(); // fails whatever is queued
    }
  }

  // ---- submission path

  private void submitOnLoop(PendingTask<?> task) {
    if (failure.get() != null) {
      fail(task, failure.get());
      return;
    }
    if (retired) {
      follower.handOff(task);
      return;
    }
    enqueue(task, System.nanoTime());
    if (!reading && !draining) {
      scheduleDrain(); // the drain run flushes the batch
    }
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        loop.execute(drainer);
      } catch (RejectedExecutionException e) {
        drainAfterLoopShutdown();
      }
    }
  }

  /** The drain task: moves queued tasks to the wire, then flushes once. */
  private void drain() {
    draining = true;
    try {
      DroverConnectionException f = failure.get();
      if (f != null) {
        failQueued(f);
      } else {
        long now = System.nanoTime();
        PendingTask<?> task;
        for (int n = 0; n < MAX_TASKS_PER_DRAIN && (task = queue.poll()) != null; n++) {
          if (task.isDone()) { // cancelled before it was sent
            task.discardPayload();
            leave(task);
          } else if (retired) {
            follower.handOff(task);
          } else {
            enqueue(task, now);
          }
        }
        if (!retired) {
          batch.flush();
        }
      }
    } finally {
      draining = false;
      drainScheduled.set(false);
    }
    if (!queue.isEmpty()) {
      scheduleDrain();
    }
  }

  /** Run by a submitting thread that found the event loop gone: fail what is queued. */
  private void drainAfterLoopShutdown() {
    failure.compareAndSet(
        null,
        new DroverConnectionException(
            "the event loop of the connection to " + remote + " has shut down"));
    do {
      failQueued(failure.get());
      drainScheduled.set(false);
    } while (!queue.isEmpty() && drainScheduled.compareAndSet(false, true));
  }

  private void failQueued(DroverConnectionException cause) {
    PendingTask<?> task;
    while ((task = queue.poll()) != null) {
      fail(task, cause);
    }
  }

  private void fail(PendingTask<?> task, Throwable cause) {
    task.discardPayload();
    leave(task);
    task.completeExceptionally(cause);
  }

  /**
   * {@code task} is no longer in flight: answered, timed out, cancelled or failed. Called exactly
   * once per accepted task, before its future completes.
   */
  private void leave(PendingTask<?> task) {
    inFlight.release();
  }

  /** Whether a request handed here now would be sent. On the loop. */
  boolean takesRequests() {
    return !retired && failure.get() == null && ctx != null && ctx.channel().isActive();
  }

  /**
   * Sends a request that was accepted on another connection (its in-flight permit already held)
   * with the time its timeout has left. On the loop.
   */
  void adopt(PendingTask<?> task) {
    task.owner = this;
    task.refusal = null;
    enqueue(task, System.nanoTime());
    batch.flush();
  }

  /** Writes {@code task} into the batch if there is room for it, else queues it in the backlog. */
  private void enqueue(PendingTask<?> task, long now) {
    if (backlog.isEmpty() && pending.size() < maxOutstanding && ctx.channel().isWritable()) {
      write(task, now);
    } else {
      backlog.add(task); // written when an answer or writability makes room
    }
  }

  /** Gives {@code task} its id, starts its clock and appends its frame to the batch. */
  private void write(PendingTask<?> task, long now) {
    if (task.timeoutNanos > 0) {
      if (task.clockStarted && task.deadlineNanos - now <= 0) {
        expireUnsent(task); // sent before on a lost connection, and out of time since
        return;
      }
      task.startClock(now);
      pending.add(task);
      timeouts.add(task);
    } else {
      pending.add(task);
    }
    batch.append(task);
  }

  /**
   * Writes what waits in the backlog while there is room and the channel is writable; the caller
   * flushes.
   */
  private void writeBacklog() {
    if (backlog.isEmpty() || ctx == null || retired || failure.get() != null) {
      return;
    }
    long now = System.nanoTime();
    PendingTask<?> task;
    while (pending.size() < maxOutstanding
        && ctx.channel().isWritable()
        && (task = backlog.poll()) != null) {
      if (task.isDone()) { // cancelled while it waited
        task.discardPayload();
        leave(task);
      } else {
        write(task, now);
      }
    }
  }

  private void expireUnsent(PendingTask<?> task) {
    fail(task, deadlineExceeded(task));
  }

  private static DroverTaskException deadlineExceeded(PendingTask<?> task) {
    return new DroverTaskException(
        TaskStatus.DEADLINE_EXCEEDED, "no result within " + HumanUnits.nanos(task.timeoutNanos), 0);
  }

  /** A task's timeout fired; {@link TaskTimeouts} has already let go of it. */
  private void timedOut(PendingTask<?> task) {
    if (pending.remove(task.id) != null) {
      leave(task);
      task.completeExceptionally(deadlineExceeded(task));
      // Nobody waits for the result any more: let the master stop the work.
      if (ctx != null && ctx.channel().isActive()) {
        batch.appendCancel(task.id);
        writeBacklog();
        batch.flush();
      }
    }
  }

  /** The caller cancelled a task's future. */
  void cancelled(PendingTask<?> task) {
    if (loop.inEventLoop()) {
      forget(task);
    } else {
      try {
        loop.execute(() -> forget(task));
      } catch (RejectedExecutionException e) {
        // The connection is gone and the task with it.
      }
    }
  }

  private void forget(PendingTask<?> task) {
    if (task.id != 0 && pending.remove(task.id) != null) {
      leave(task);
      task.cancelTimeout();
      // Tell the master, which answers the task CANCELLED (dropped here) and stops its worker.
      if (ctx != null && ctx.channel().isActive()) {
        batch.appendCancel(task.id);
        writeBacklog();
        batch.flush();
      }
    }
  }

  // ---- channel events

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.batch = new ClientWriteBatch(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    ByteBuf frame = (ByteBuf) msg;
    try {
      onResponse(frame);
    } finally {
      frame.release();
    }
  }

  private void onResponse(ByteBuf frame) {
    header.decode(frame);
    long id = header.requestId();
    if (id == 0) {
      if (header.status() == Status.GOING_AWAY_VALUE && follower != null) {
        onGoAway(header.message(frame));
      } else {
        onConnectionError(frame);
      }
      return;
    }
    if (header.partial()) {
      PendingTask<?> job = pending.get(id);
      if (job != null) {
        job.partial(header.subtaskIndex(), header.status(), header.message(frame), header.attempts(), frame);
      }
      return;
    }
    PendingTask<?> task = pending.remove(id);
    if (task == null) {
      logger.debug("Dropping the answer to request {} from {}: timed out or cancelled", id, remote);
      return;
    }
    int status = header.status();
    if (goneAway && status == Status.SHUTTING_DOWN_VALUE) {
      // Refused after the GOAWAY, so it never ran: send it again on the next connection.
      task.refusal = header.message(frame);
      follower.handOff(task);
      closeIfDone();
      return;
    }
    leave(task);
    task.cancelTimeout();
    if (status == Status.OK_VALUE) {
      task.succeed(frame);
    } else if (task.answer(status, header.message(frame), frame)) {
      // A job ended short of OK; its JobOutcome says how.
    } else {
      task.completeExceptionally(
          new DroverTaskException(
              TaskStatus.forNumber(status), detail(status, header.message(frame)), header.attempts()));
    }
    if (goneAway) {
      closeIfDone();
    }
  }

  /**
   * Whether a lost connection is followed by a new one: not after the client closed it or a
   * connection-level error, nor while the event loop shuts down.
   */
  private boolean follows() {
    return follower != null && failure.get() == null && !loop.isShuttingDown();
  }

  private void onGoAway(String reason) {
    if (!goneAway) {
      goneAway = true;
      retired = true;
      follower.goneAway(this, reason);
      PendingTask<?> task;
      while ((task = backlog.poll()) != null) {
        follower.handOff(task); // never written: the next connection sends it
      }
      closeIfDone();
    }
  }

  /** A connection that got a GOAWAY closes once everything sent on it is answered. */
  private void closeIfDone() {
    if (goneAway && pending.isEmpty() && backlog.isEmpty() && ctx != null) {
      ctx.close();
    }
  }

  /**
   * The connection was lost (not closed by the client, nor after a connection-level error): the
   * requests in flight on it whose outcome is unknown are sent again on a new connection when
   * they may run twice, and fail when they are {@code no_retry}; those never sent go on as well.
   */
  private void lost(String why) {
    if (retired && pending.isEmpty() && backlog.isEmpty()) {
      follower.closed(this);
      return;
    }
    retired = true;
    if (!pending.isEmpty()) {
      for (PendingTask<?> task : pending.removeAll()) {
        if (task.resendable()) {
          follower.handOff(task);
        } else {
          task.cancelTimeout();
          fail(
              task,
              new DroverConnectionException(
                  "the connection to " + remote + " was lost (" + why + ") with the task in flight; it was"
                      + " not sent again because it is no_retry " + (task.noRetry() ? "" : "(a job whose results had begun streaming) ")
                      + "and may have run"));
        }
      }
    }
    PendingTask<?> task;
    while ((task = backlog.poll()) != null) {
      follower.handOff(task); // never written: safe to send, no_retry or not
    }
    if (batch != null) {
      batch.discard();
    }
    follower.lost(this, why);
    if (drainScheduled.compareAndSet(false, true)) {
      drain(); // hands off what is queued
    }
  }

  private void onConnectionError(ByteBuf frame) {
    TaskStatus status = TaskStatus.forNumber(header.status());
    String message = detail(header.status(), header.message(frame));
    logger.warn("The Drover master at {} reported {}: {}", remote, status, message);
    failure.compareAndSet(
        null,
        new DroverConnectionException(
            "connection to " + remote + " closed after " + status + ": " + message));
    shutdown(new DroverTaskException(status, message, 0));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    writeBacklog(); // the answers just read made room
    batch.flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && failure.get() == null) {
      writeBacklog();
      batch.flush();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (follows()) {
      lost("closed by the master");
      ctx.fireChannelInactive();
      return;
    }
    failure.compareAndSet(
        null,
        new DroverConnectionException(
            "connection to " + remote + " closed with " + inFlight() + " tasks in flight"));
    shutdown(null);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String message;
    Throwable tls = tlsFailure(cause);
    if (cause instanceof PlaintextProbe.ServerRequiresTlsException e
        && e.closedUnanswered()
        && follows()
        && follower.everAnsweredInPlaintext()) {
      // This master has answered in plaintext before: the connection was lost, not refused.
      lost("closed by the master before it answered");
      ctx.close();
      return;
    }
    if (cause instanceof PlaintextProbe.ServerRequiresTlsException e) {
      message =
          e.closedUnanswered()
              ? "connection to " + remote + " closed with " + inFlight() + " tasks in flight, before any answer: " + e.getMessage()
              : e.getMessage() + "; closed the connection with " + inFlight() + " tasks in flight";
      logger.debug("{}", message);
    } else if (tls != null) {
      // After a TLS 1.3 handshake the master may still refuse the client's certificate (or its
      // lack of one): the client learns it from an alert at its first read.
      message =
          "TLS failure on the connection to " + remote + ": " + tls.getMessage()
              + " (a master that requires a client certificate refuses a missing or untrusted one)"
              + "; closed the connection with " + inFlight() + " tasks in flight";
      logger.debug("{}", message);
    } else if (cause instanceof FrameTooLargeException e) {
      message =
          FrameLimits.frameTooLargeMessage(
                  "response from the Drover master at " + remote, e.frameBytes(), e.maxFrameBytes(),
                  "the client's maxFrameBytes")
              + "; closed the connection with " + inFlight() + " tasks in flight";
      logger.warn("{}", message);
    } else if (cause instanceof DecoderException) {
      logger.warn("Unreadable response from the Drover master at {}", remote, cause);
      message =
          "unreadable response from the Drover master at " + remote
              + "; closed the connection with " + inFlight() + " tasks in flight: "
              + cause.getMessage();
    } else {
      if (cause instanceof IOException) {
        logger.debug("Connection to {} failed", remote, cause); // reset, broken pipe: expected
        if (follows()) {
          lost(String.valueOf(cause.getMessage()));
          ctx.close();
          return;
        }
      } else {
        logger.warn("Unexpected failure on the connection to {}", remote, cause);
      }
      message =
          "connection to " + remote + " failed with " + inFlight() + " tasks in flight: " + cause;
    }
    failure.compareAndSet(null, new DroverConnectionException(message, cause));
    shutdown(null);
  }

  /** The TLS exception in {@code cause}'s chain, or null. */
  private static Throwable tlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return t;
      }
    }
    return null;
  }

  /**
   * Fails every task, pending ones with {@code pendingCause} (or the connection's failure when
   * {@code null}), and closes the channel. Runs on the event loop; {@link #failure} is set.
   */
  private void shutdown(Throwable pendingCause) {
    DroverConnectionException f = failure.get();
    Throwable cause = pendingCause != null ? pendingCause : f;
    if (!pending.isEmpty()) {
      for (PendingTask<?> task : pending.removeAll()) {
        task.cancelTimeout();
        leave(task);
        task.completeExceptionally(cause);
      }
    }
    PendingTask<?> task;
    while ((task = backlog.poll()) != null) {
      fail(task, f); // never written: the connection's failure, not an answer's
    }
    if (batch != null) {
      batch.discard();
    }
    if (drainScheduled.compareAndSet(false, true)) {
      drain(); // sees the failure: fails what is queued
    }
    if (ctx != null) {
      ctx.close();
    }
  }

  /** The message, prefixed with the status number when this client does not know the number. */
  private static String detail(int status, String message) {
    if (TaskStatus.forNumber(status) != TaskStatus.UNRECOGNIZED) {
      return message;
    }
    return "status " + status + (message.isEmpty() ? "" : ": " + message);
  }
}
