package io.drover.master.internal.transport;

import io.drover.master.config.ConnectionLimits;
import io.drover.master.internal.logging.RateLimitedLog;
import io.drover.protocol.HumanUnits;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.proto.Status;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port's connections and their limits ({@link ConnectionLimits}), on the one loop
 * that serves them all, so with plain fields and no locks: how many are open in all and from each
 * address (a connection over a limit is refused), which hold an incomplete frame and how much
 * memory those take together (over the bound, the connection whose incomplete frame is oldest is
 * closed), and one periodic sweep that closes connections whose frame took longer than the
 * frame-read timeout and sends a GOAWAY to those idle longer than the idle timeout.
 *
 * <p>Nothing here runs per frame. The connections holding an incomplete frame are kept in a list
 * in the order their frame began, so the sweep looks only at those that have timed out; the
 * clock it reads once per run is the one the connections' notes use.
 */
public final class ClientConnections {
  private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);
  /** Shortest and longest time between two sweeps. */
  static final long MIN_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long MAX_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EventLoop loop;
  private final ConnectionLimits limits;
  private final Ticker ticker;
  private final long frameReadTimeoutNanos;
  private final long idleTimeoutNanos;
  private final long sweepNanos;
  /** One line a second at most about refused connections, and one about closed ones. */
  private final RateLimitedLog refusals;
  private final RateLimitedLog closes;
  private final Map<Object, int[]> perAddress = new HashMap<>();
  private final Set<ConnectionWatch> open = new LinkedHashSet<>();
  private int openCount;
  private ConnectionWatch oldestPartial;
  private ConnectionWatch newestPartial;
  private long partialBytes;
  /** The sweep's clock: {@link Ticker#nanoTime} at its last run. */
  private long now;
  /** Sweeps run so far: a connection that read in the current interval has the current count. */
  private long sweeps;
  /**
   * A frame that keeps arriving may take this many frame-read timeouts at most: under load the
   * master itself may take a while to read a large frame that is all there, and that time is not
   * the client's, but a trickle may not hold a connection for ever either.
   */
  static final int FRAME_CAP = 4;
  private long lastIdleCheck;
  private ScheduledFuture<?> sweep;
  private long refusedMaxConnections;
  private long refusedMaxPerAddress;
  private long closedIdle;
  private long closedFrameReadTimeout;
  private long closedHandshakeTimeout;
  private long closedPartialFrameMemory;

  /** Counts for the connections of {@code loop}, which owns this object. */
  public ClientConnections(EventLoop loop, ConnectionLimits limits) {
    this(loop, limits, Ticker.systemTicker());
  }

  ClientConnections(EventLoop loop, ConnectionLimits limits, Ticker ticker) {
    this.loop = loop;
    this.limits = limits;
    this.ticker = ticker;
    this.frameReadTimeoutNanos = limits.frameReadTimeout().toNanos();
    this.idleTimeoutNanos = limits.idleTimeout().toNanos();
    long shortest = Math.min(
        frameReadTimeoutNanos == 0 ? Long.MAX_VALUE : frameReadTimeoutNanos,
        idleTimeoutNanos == 0 ? Long.MAX_VALUE : idleTimeoutNanos);
    // A timeout is kept to within an eighth of itself (and a second).
    this.sweepNanos = Math.max(MIN_SWEEP_NANOS, Math.min(MAX_SWEEP_NANOS, shortest / 8));
    Duration second = Duration.ofSeconds(1);
    this.refusals = new RateLimitedLog(log, "refused client connections", 1, second, loop, ticker);
    this.closes = new RateLimitedLog(log, "client connections closed by a limit", 1, second, loop, ticker);
    this.now = ticker.nanoTime();
    this.lastIdleCheck = now;
  }

  /** Starts the sweep, when a timeout is on. On the loop. */
  public void start() {
    if (sweep == null && (frameReadTimeoutNanos != 0 || idleTimeoutNanos != 0)) {
      sweep = loop.scheduleWithFixedDelay(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Stops the sweep. Any thread. */
  public void stop() {
    ScheduledFuture<?> s = sweep;
    if (s != null) {
      s.cancel(false);
    }
  }

  /**
   * Why the new connection {@code ch} is refused (counted and logged), or null when it may be
   * opened with {@link #open}. On the loop, from the channel's initializer.
   */
  String refusal(Channel ch) {
    Object address = addressOf(ch);
    String why = null;
    if (openCount >= limits.maxConnections()) {
      refusedMaxConnections++;
      why = "too many connections: " + openCount + " open (--max-connections " + limits.maxConnections() + ")";
    } else {
      int[] n = perAddress.get(address);
      if (n != null && n[0] >= limits.maxConnectionsPerAddress()) {
        refusedMaxPerAddress++;
        why = "too many connections from " + hostOf(address) + ": " + n[0] + " open (--max-connections-per-address "
            + limits.maxConnectionsPerAddress() + ")";
      }
    }
    if (why != null && refusals.permit()) {
      log.warn("client {} refused: {}", ch.remoteAddress(), why);
    }
    return why;
  }

  /**
   * Counts the new connection {@code ch} open until it closes, and returns the handler that goes
   * between its decoder and its frame handler. On the loop, after {@link #refusal} said null.
   */
  ConnectionWatch open(Channel ch, FrameDecoder decoder, ClientFrameHandler<?> frames) {
    ConnectionWatch w = new ConnectionWatch(ch, addressOf(ch), this, decoder, frames);
    w.activeNanos = now;
    openCount++;
    perAddress.computeIfAbsent(w.address, a -> new int[1])[0]++;
    open.add(w);
    // The close future, not channelInactive: it completes however the channel ends, even when
    // it closes before it was ever active.
    ch.closeFuture().addListener(f -> closed(w));
    return w;
  }

  private void closed(ConnectionWatch w) {
    if (!open.remove(w)) {
      return;
    }
    // The decoder may still end a read after the close (its last frames): nothing more is noted.
    w.ended = true;
    openCount--;
    int[] n = perAddress.get(w.address);
    if (n != null && --n[0] == 0) {
      perAddress.remove(w.address);
    }
    endPartial(w);
  }

  /**
   * What {@code w} holds after a read: an incomplete frame taking {@code held} bytes (0 for none),
   * which began in this read when {@code newFrame}.
   */
  void partialFrame(ConnectionWatch w, int held, boolean newFrame) {
    if (w.ended) {
      return;
    }
    if (held == 0) {
      endPartial(w);
      return;
    }
    partialBytes += held - w.partialBytes;
    w.partialBytes = held;
    w.lastReadSweep = sweeps;
    if (!w.partial || newFrame) {
      unlink(w);
      w.partialSinceNanos = now;
      w.partialFirstNanos = now;
      append(w);
    }
    if (partialBytes > limits.maxPartialFrameBytes()) {
      evict();
    }
  }

  /** Closes the connections whose incomplete frames are oldest until the rest fit the bound. */
  private void evict() {
    String why = "incomplete frames of all connections hold more than "
        + HumanUnits.bytesExactly(limits.maxPartialFrameBytes()) + " (--max-partial-frame-mib "
        + (limits.maxPartialFrameBytes() >> 20) + "); this connection's frame is the oldest";
    while (partialBytes > limits.maxPartialFrameBytes() && oldestPartial != null) {
      closedPartialFrameMemory++;
      end(oldestPartial, Status.OVERLOADED_VALUE, why);
    }
  }

  private void endPartial(ConnectionWatch w) {
    partialBytes -= w.partialBytes;
    w.partialBytes = 0;
    unlink(w);
  }

  private void end(ConnectionWatch w, int status, String why) {
    w.ended = true;
    endPartial(w);
    if (closes.permit()) {
      log.warn("client {}: {}; closing the connection", w.channel.remoteAddress(), why);
    }
    w.closeWithError(status, why);
  }

  private void append(ConnectionWatch w) {
    w.partial = true;
    w.older = newestPartial;
    w.newer = null;
    if (newestPartial != null) {
      newestPartial.newer = w;
    } else {
      oldestPartial = w;
    }
    newestPartial = w;
  }

  private void unlink(ConnectionWatch w) {
    if (!w.partial) {
      return;
    }
    w.partial = false;
    if (w.older != null) {
      w.older.newer = w.newer;
    } else {
      oldestPartial = w.newer;
    }
    if (w.newer != null) {
      w.newer.older = w.older;
    } else {
      newestPartial = w.older;
    }
    w.older = null;
    w.newer = null;
  }

  /** One run of the sweep; package-private for tests that drive the clock. */
  void sweep() {
    now = ticker.nanoTime();
    long interval = sweeps++;
    if (frameReadTimeoutNanos != 0) {
      String why = null;
      // A frame noted at the sweep clock began up to one sweep earlier: wait that long more, so
      // that no frame is cut short of its timeout.
      while (oldestPartial != null && now - oldestPartial.partialSinceNanos >= frameReadTimeoutNanos + sweepNanos) {
        ConnectionWatch w = oldestPartial;
        boolean paused = !w.channel.config().isAutoRead();
        // More of the frame arrived since the last sweep: the client is sending, and the time
        // is the master's (a busy loop reads 16 KiB per connection per turn) up to the cap.
        boolean arriving = w.lastReadSweep == interval && now - w.partialFirstNanos < FRAME_CAP * frameReadTimeoutNanos;
        if (paused || arriving) {
          // Paused (backpressure), the client cannot finish its frame: its time starts again
          // and runs once reading resumes. Arriving: it gets another timeout to finish.
          unlink(w);
          w.partialSinceNanos = now;
          if (paused) {
            w.partialFirstNanos = now;
          }
          append(w);
          continue;
        }
        closedFrameReadTimeout++;
        end(w, Status.MALFORMED_FRAME_VALUE, w.lastReadSweep == interval ? capped() : (why == null ? why = timedOut() : why));
      }
    }
    if (idleTimeoutNanos != 0 && now - lastIdleCheck >= Math.min(idleTimeoutNanos / 8, MAX_SWEEP_NANOS * 10)) {
      lastIdleCheck = now;
      checkIdle();
    }
  }

  private String timedOut() {
    return "no complete frame within " + HumanUnits.duration(limits.frameReadTimeout()) + " of its first byte (--frame-read-timeout "
        + optionSeconds(limits.frameReadTimeout()) + ")";
  }

  private String capped() {
    return "no complete frame within " + FRAME_CAP + " x " + HumanUnits.duration(limits.frameReadTimeout())
        + " of its first byte, though it kept arriving (--frame-read-timeout " + optionSeconds(limits.frameReadTimeout()) + ")";
  }

  private void checkIdle() {
    String why = null;
    for (ConnectionWatch w : open) {
      if (w.ended || w.goneAway) {
        continue;
      }
      // Not read by the master (backpressure) counts as busy: the client may be waiting to send.
      if (w.received || w.partial || !w.channel.config().isAutoRead() || w.holdsWork()) {
        w.received = false;
        w.activeNanos = now;
      } else if (now - w.activeNanos >= idleTimeoutNanos) {
        if (why == null) {
          why = "idle for " + HumanUnits.duration(limits.idleTimeout()) + " (--idle-timeout " + optionSeconds(limits.idleTimeout()) + ")";
        }
        w.goneAway = true;
        closedIdle++;
        w.goAway(why);
      }
    }
  }

  /** A TLS handshake of a client connection timed out. On the loop. */
  void handshakeTimedOut() {
    closedHandshakeTimeout++;
  }

  /** The counts now. On the loop. */
  ConnectionStats statsNow() {
    return new ConnectionStats(
        openCount,
        refusedMaxConnections,
        refusedMaxPerAddress,
        closedIdle,
        closedFrameReadTimeout,
        closedHandshakeTimeout,
        closedPartialFrameMemory,
        partialBytes);
  }

  /** The counts copied on the loop; fails once the loop has stopped. Any thread. */
  public CompletableFuture<ConnectionStats> stats() {
    try {
      return CompletableFuture.supplyAsync(this::statsNow, loop);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the client event loop has stopped", e));
    }
  }

  /** {@code d} as the seconds an option takes: {@code 30}, {@code 0.5}. */
  static String optionSeconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }

  /** What a connection counts against per address: its IP address (any port). */
  private static Object addressOf(Channel ch) {
    Object remote = ch.remoteAddress();
    return remote instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress() : String.valueOf(remote);
  }

  private static String hostOf(Object address) {
    return address instanceof java.net.InetAddress a ? a.getHostAddress() : address.toString();
  }
}
