package io.drover.client.internal;

import io.drover.client.DroverConnectionException;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskStatus;
import io.drover.protocol.HumanUnits;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Keeps a client on a connection to its master: after a GOAWAY, or when the connection is lost,
 * it opens a new one to the same address, with exponential backoff up to a bound, and gives it the
 * requests the old one handed back (those sent after the GOAWAY, and the retryable ones in flight
 * on a lost connection). Requests wait here, parked, while there is no connection; they keep their
 * deadlines, and fail when no connection can be made within the bound.
 *
 * <p>Threads: {@link #current()} and {@link #close} from any thread; everything else on the
 * event loop every connection of the client runs on.
 */
public final class ConnectionFollower {
  private static final Logger logger = ClientLogging.logger(ConnectionFollower.class);

  /** Opens a channel to the master whose last handler is {@code connection}, on the loop. */
  public interface Connector {
    /** Starts connecting; the future completes on the event loop. */
    ChannelFuture connect(ClientConnection connection);
  }

  private final String remote;
  private final EventLoop loop;
  private final int maxFrameBytes;
  private final InFlightLimit limit;
  private final int maxOutstanding;
  private final Connector connector;
  private final long firstBackoffNanos;
  private final long maxBackoffNanos;
  private final long reconnectTimeoutNanos;
  private volatile ClientConnection current;
  /**
   * Whether the master ever answered one of these connections without TLS: then a connection it
   * closes before answering was lost (a crash, a kill), not refused for want of TLS.
   */
  private volatile boolean answeredInPlaintext;
  private volatile long reconnects;

  // Event-loop state.
  private final ArrayDeque<PendingTask<?>> parked = new ArrayDeque<>();
  private final List<ClientConnection> open = new ArrayList<>(2);
  private boolean connecting;
  private long cycleStartedNanos;
  private long backoffNanos;
  private DroverConnectionException closed;

  /**
   * Creates the follower of the connections to {@code remote} on {@code loop}.
   *
   * @param maxOutstanding most requests each connection has written and unanswered at once
   * @param firstBackoffNanos wait after the first failed attempt, doubled after each, up to 1 s
   *     (or this, if longer)
   * @param reconnectTimeoutNanos how long it tries before failing what waits for a connection
   */
  public ConnectionFollower(
      String remote,
      EventLoop loop,
      int maxFrameBytes,
      InFlightLimit limit,
      int maxOutstanding,
      Connector connector,
      long firstBackoffNanos,
      long reconnectTimeoutNanos) {
    this.remote = remote;
    this.loop = loop;
    this.maxFrameBytes = maxFrameBytes;
    this.limit = limit;
    this.maxOutstanding = maxOutstanding;
    this.connector = connector;
    this.firstBackoffNanos = firstBackoffNanos;
    this.maxBackoffNanos = Math.max(firstBackoffNanos, TimeUnit.SECONDS.toNanos(1));
    this.reconnectTimeoutNanos = reconnectTimeoutNanos;
  }

  /** A new connection (not yet connected) that reports to this follower. */
  public ClientConnection newConnection() {
    return new ClientConnection(remote, loop, maxFrameBytes, limit, maxOutstanding, this);
  }

  /** Makes {@code first}, connected by the caller, the current connection. */
  public void first(ClientConnection first) {
    current = first;
    loop.execute(() -> open.add(first));
  }

  /** The connection new requests go to; it hands them back here while it cannot take them. */
  public ClientConnection current() {
    return current;
  }

  /** Connections made after the first: one per GOAWAY followed or lost connection replaced. */
  public long reconnects() {
    return reconnects;
  }

  // ---- from connections, on the loop

  /** {@code from} got a GOAWAY: new requests go to a new connection from now on. */
  void goneAway(ClientConnection from, String reason) {
    logger.info("The Drover master at {} is going away ({}); moving to a new connection", remote, reason);
    if (from == current) {
      connect();
    }
  }

  /** {@code from} was lost without a GOAWAY. */
  void lost(ClientConnection from, String why) {
    open.remove(from);
    if (from == current && closed == null) {
      logger.info("Lost the connection to the Drover master at {} ({}); reconnecting", remote, why);
      connect();
    }
  }

  /** {@code from} closed after it had answered everything it held. */
  void closed(ClientConnection from) {
    open.remove(from);
  }

  /**
   * Takes a request back from a connection that cannot send it: sends it on the current
   * connection, or keeps it until there is one.
   */
  void handOff(PendingTask<?> task) {
    task.cancelTimeout();
    task.id = 0;
    if (task.isDone()) {
      drop(task);
    } else if (closed != null) {
      fail(task, closed);
    } else if (!connecting && current.takesRequests()) {
      current.adopt(task);
    } else {
      parked.add(task);
      if (!connecting) {
        connect(); // the connection was lost and the reconnect bound ran out before: try again
      }
    }
  }

  /** The master answered a plaintext connection (from the connection's probe). */
  public void answeredInPlaintext() {
    answeredInPlaintext = true;
  }

  /** Whether the master ever answered one of these connections without TLS. */
  boolean everAnsweredInPlaintext() {
    return answeredInPlaintext;
  }

  // ---- connecting

  private void connect() {
    if (connecting || closed != null) {
      return;
    }
    connecting = true;
    cycleStartedNanos = System.nanoTime();
    backoffNanos = firstBackoffNanos;
    attempt();
  }

  private void attempt() {
    if (closed != null) {
      return;
    }
    ClientConnection next = newConnection();
    ChannelFuture f;
    try {
      f = connector.connect(next);
    } catch (RuntimeException e) {
      attemptFailed(e);
      return;
    }
    f.addListener(done -> onLoop(() -> {
      if (done.isSuccess()) {
        connected(next);
      } else {
        attemptFailed(done.cause());
      }
    }));
  }

  private void connected(ClientConnection next) {
    if (closed != null) {
      next.close(closed);
      return;
    }
    connecting = false;
    reconnects++;
    open.add(next);
    current = next;
    logger.info("Connected to the Drover master at {} again ({} requests to send)", remote, parked.size());
    PendingTask<?> task;
    while ((task = parked.poll()) != null) {
      if (task.isDone()) {
        drop(task);
      } else {
        next.adopt(task);
      }
    }
  }

  private void attemptFailed(Throwable cause) {
    if (loop.isShuttingDown()) {
      connecting = false;
      loopTerminated(new DroverConnectionException("the event loop of the connection to " + remote + " has shut down"));
      return;
    }
    long now = System.nanoTime();
    failOverdue(now);
    if (now - cycleStartedNanos >= reconnectTimeoutNanos) {
      connecting = false;
      DroverConnectionException e =
          new DroverConnectionException(
              "could not reconnect to the Drover master at " + remote + " within "
                  + HumanUnits.nanos(reconnectTimeoutNanos) + " (reconnectTimeout): " + cause,
              cause);
      logger.warn("{}", e.getMessage());
      PendingTask<?> task;
      while ((task = parked.poll()) != null) {
        fail(task, task.refusal == null ? e : refused(task));
      }
      return;
    }
    long wait = Math.min(backoffNanos, reconnectTimeoutNanos - (now - cycleStartedNanos));
    backoffNanos = Math.min(backoffNanos * 2, maxBackoffNanos);
    loop.schedule(this::attempt, wait, TimeUnit.NANOSECONDS);
  }

  /**
   * The failure of a request its master refused after a GOAWAY when no master took a connection
   * since: what the master said, as it would have been without the GOAWAY.
   */
  private DroverTaskException refused(PendingTask<?> task) {
    return new DroverTaskException(
        TaskStatus.SHUTTING_DOWN,
        task.refusal + "; no master took a new connection to " + remote + " within "
            + HumanUnits.nanos(reconnectTimeoutNanos) + " (reconnectTimeout)",
        0);
  }

  /** Fails the parked requests whose timeout has passed (checked at each attempt). */
  private void failOverdue(long now) {
    for (int n = parked.size(); n > 0; n--) {
      PendingTask<?> task = parked.poll();
      if (task.isDone()) {
        drop(task);
      } else if (task.timeoutNanos > 0 && task.clockStarted && now - task.deadlineNanos >= 0) {
        fail(
            task,
            new DroverTaskException(
                TaskStatus.DEADLINE_EXCEEDED,
                "no result within " + HumanUnits.nanos(task.timeoutNanos)
                    + " (waiting for a connection to " + remote + ")",
                0));
      } else {
        parked.add(task);
      }
    }
  }

  // ---- closing

  /** Fails what waits for a connection and closes every connection with {@code cause}. Any thread. */
  public void close(DroverConnectionException cause) {
    try {
      onLoop(() -> closeOnLoop(cause));
    } catch (RejectedExecutionException e) {
      current.close(cause);
    }
  }

  private void closeOnLoop(DroverConnectionException cause) {
    if (closed != null) {
      return;
    }
    closed = cause;
    PendingTask<?> task;
    while ((task = parked.poll()) != null) {
      fail(task, cause);
    }
    for (ClientConnection c : List.copyOf(open)) {
      c.close(cause);
    }
    current.close(cause);
  }

  /**
   * The event loop has terminated (its thread is gone, so nothing else touches this state): fails
   * what waits for a connection.
   */
  void loopTerminated(DroverConnectionException cause) {
    if (closed == null) {
      closed = cause;
    }
    PendingTask<?> task;
    while ((task = parked.poll()) != null) {
      fail(task, closed);
    }
  }

  private void onLoop(Runnable r) {
    if (loop.inEventLoop()) {
      r.run();
    } else {
      loop.execute(r);
    }
  }

  private void fail(PendingTask<?> task, Throwable cause) {
    task.discardPayload();
    limit.release();
    task.completeExceptionally(cause);
  }

  private void drop(PendingTask<?> task) {
    task.discardPayload();
    limit.release();
  }
}
