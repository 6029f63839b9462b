package io.drover.master.internal.dispatch;

import io.drover.protocol.proto.Status;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells client connections to move on (a GOAWAY: {@code ResponseHeader} with {@code request_id =
 * 0} and {@code GOING_AWAY}) and closes them once they hold nothing: after {@link #begin}, every
 * open connection and every one accepted later gets one GOAWAY, its new requests are refused by
 * {@link ClientPort}, and a connection with no task or job left is closed once {@link
 * #CLOSE_GRACE_NANOS} have passed since its GOAWAY, so that requests already on the wire when it
 * was sent are answered (SHUTTING_DOWN) rather than lost to a reset. On the dispatch loop.
 */
final class GoAway {
  private static final Logger log = LoggerFactory.getLogger(GoAway.class);

  /** How long a connection that holds nothing stays open after its GOAWAY. */
  static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final long SWEEP_MILLIS = 100;

  private final EventLoop loop;
  private final Collection<ClientSession> sessions;
  /** Why, once begun; null before. */
  private String reason;
  /** Whether the sweep that closes connections after their GOAWAY runs. */
  private boolean sweeping;
  /** GOAWAY frames sent since the start. */
  long sent;

  GoAway(EventLoop loop, Collection<ClientSession> sessions) {
    this.loop = loop;
    this.sessions = sessions;
  }

  /** Whether {@link #begin} has been called. */
  boolean begun() {
    return reason != null;
  }

  /** Sends GOAWAY to every open connection; a second call does nothing. */
  void begin(String why) {
    if (reason != null) {
      return;
    }
    reason = why;
    for (ClientSession s : sessions) {
      send(s, why);
    }
    log.info("sent GOAWAY ({}) to {} client connections", why, sessions.size());
    sweep();
  }

  /**
   * Sends one connection a GOAWAY (it was idle too long) and closes it as {@link #begin} closes
   * every connection; nothing if it had one already.
   */
  void one(ClientSession s, String why) {
    send(s, why);
    sweep();
  }

  private void sweep() {
    if (!sweeping) {
      sweeping = true;
      loop.scheduleWithFixedDelay(this::closeIdle, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** A connection accepted after {@link #begin} (an accept that raced the listener's close). */
  void connected(ClientSession s) {
    if (reason != null) {
      send(s, reason);
    }
  }

  private void send(ClientSession s, String why) {
    if (!s.goneAway) {
      s.goneAway = true;
      s.goAwayReason = why;
      s.goneAwayAtNanos = System.nanoTime();
      s.sendError(0, Status.GOING_AWAY_VALUE, why, 0);
      sent++;
    }
  }

  /** The message a request that arrives after its connection's GOAWAY is refused with. */
  String refusal(ClientSession s) {
    return "this connection is going away (" + s.goAwayReason + "): send the request on a new connection";
  }

  private void closeIdle() {
    long now = System.nanoTime();
    for (ClientSession s : sessions) {
      if (s.goneAway
          && s.inFlight == 0
          && s.tasks.isEmpty()
          && s.jobs.isEmpty()
          && now - s.goneAwayAtNanos >= CLOSE_GRACE_NANOS
          && s.channel.isActive()) {
        s.channel.close();
      }
    }
  }
}
