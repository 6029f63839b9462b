package io.drover.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the load generator. Requests are appended to one batch buffer that is written
 * and flushed once per read batch (closed loop) or schedule tick (open loop), so a burst of
 * replies becomes one {@code write} system call. Runs on the event loop only.
 */
final class LoadConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(LoadConnection.class);

  /** What a connection needs from the run it belongs to. */
  interface Owner {
    LoadRecorder recorder();

    /** Whether new tasks may be sent (false once the measured window has ended). */
    boolean sending();

    /** Closed loop: whether each reply triggers the next request on its connection. */
    boolean closedLoop();

    /** Called after a batch of replies was handled, before this connection flushes. */
    void afterReadBatch();

    /**
     * Called when a connection closes before the run asked it to (after handing its tasks in
     * flight to {@link #resend}), unless it had received a GOAWAY and answered everything.
     */
    void onConnectionLost(LoadConnection connection, Throwable cause);

    /**
     * The master refused the connection UNAUTHENTICATED: a run that cannot authenticate ends here,
     * rather than reconnecting to be refused again.
     */
    void onUnauthenticated();

    /** A connection is up (a replacement: the first ones connect before the run starts). */
    void onConnected();

    /** The master sent this connection a GOAWAY: new tasks go to a new connection. */
    void onGoAway(LoadConnection connection);

    /**
     * A task sent at {@code sendNanos} that must go out again on another connection: refused
     * after a GOAWAY (it never ran), in flight on a lost connection, or, closed loop, the next
     * task of a connection that takes no more.
     */
    void resend(long sendNanos);
  }

  private static final int GOING_AWAY = 14;
  private static final int UNAUTHENTICATED = 15;
  private static final int SHUTTING_DOWN = 7;

  private final Owner owner;
  private final RequestEncoder encoder;
  private final ReplyDecoder decoder;
  private final InFlightTable inFlight;
  private final int batchBytesHint;
  private ChannelHandlerContext ctx;
  private ByteBuf batch;
  private boolean closing;
  private boolean goneAway;
  private boolean connected;
  private Throwable failure;
  /** Which of the run's connections this is (its replacements keep the index). */
  final int index;

  LoadConnection(
      Owner owner, RequestEncoder encoder, ReplyDecoder decoder, int concurrency, int index, int connections) {
    this.owner = owner;
    this.encoder = encoder;
    this.decoder = decoder;
    this.index = index;
    this.inFlight = new InFlightTable(concurrency, index + 1, connections);
    this.batchBytesHint = Math.min(64 * 1024, encoder.frameSize(Long.MAX_VALUE) * Math.min(concurrency, 256));
  }

  /**
   * Appends a request due at {@code sendNanos} to the batch.
   *
   * @return false when this connection already has its maximum in flight, or is not connected
   */
  boolean send(long sendNanos) {
    if (!connected || closing || goneAway) {
      return false;
    }
    long id = inFlight.acquire(sendNanos);
    if (id == 0) {
      return false;
    }
    if (batch == null) {
      batch = ctx.alloc().ioBuffer(batchBytesHint);
    }
    encoder.write(batch, id);
    return true;
  }

  /** Writes and flushes the batch, if any. */
  void flush() {
    if (batch != null) {
      ByteBuf out = batch;
      batch = null;
      ctx.writeAndFlush(out, ctx.voidPromise());
    }
  }

  /** Tasks in flight on this connection. */
  int inFlight() {
    return inFlight.inFlight();
  }

  /** Frees, and reports as timed out, every task sent before {@code deadlineNanos}. */
  void expire(long deadlineNanos) {
    int expired =
        inFlight.expire(deadlineNanos, sent -> owner.recorder().onLost(sent, LoadRecorder.CLIENT_TIMEOUT));
    if (expired > 0 && owner.closedLoop()) {
      long now = System.nanoTime();
      for (int i = 0; i < expired && owner.sending(); i++) {
        send(now);
      }
      flush();
    }
  }

  /** Closes the connection; tasks still in flight are reported lost. */
  void close() {
    closing = true;
    inFlight.clear(sent -> owner.recorder().onLost(sent, LoadRecorder.CLIENT_TIMEOUT));
    if (batch != null) {
      batch.release();
      batch = null;
    }
    if (ctx != null) {
      ctx.close();
    }
  }

  /** Whether the connection got a GOAWAY. */
  boolean goneAway() {
    return goneAway;
  }

  /** A connection that got a GOAWAY closes once everything sent on it is answered. */
  private void closeIfDone() {
    if (goneAway && inFlight.inFlight() == 0 && !closing) {
      closing = true;
      ctx.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    connected = true;
    ctx.fireChannelActive();
    owner.onConnected(); // sends what waits for a connection
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      decoder.decode(frame);
      long now = System.nanoTime();
      long id = decoder.requestId();
      if (id == 0) {
        if (decoder.status() == GOING_AWAY) {
          goneAway = true;
          owner.onGoAway(this);
          closeIfDone();
        } else if (decoder.status() == UNAUTHENTICATED) {
          owner.onUnauthenticated();
        } else {
          owner.recorder().onConnectionError(decoder.status());
        }
        return;
      }
      long sent = inFlight.complete(id);
      if (sent == Long.MIN_VALUE) {
        owner.recorder().onUnexpectedReply();
        return;
      }
      if (goneAway) {
        if (decoder.status() == SHUTTING_DOWN) {
          owner.resend(sent); // refused after the GOAWAY: it never ran
        } else {
          owner.recorder().onReply(sent, now, decoder.status());
          if (owner.closedLoop() && owner.sending()) {
            owner.resend(now);
          }
        }
        closeIfDone();
        return;
      }
      owner.recorder().onReply(sent, now, decoder.status());
      if (owner.closedLoop() && owner.sending()) {
        send(now);
      }
    } finally {
      frame.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    owner.afterReadBatch();
    flush();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (batch != null) {
      batch.release();
      batch = null;
    }
    if (!closing) {
      closing = true;
      // Echo tasks may run twice: sent again on the connection that replaces this one.
      inFlight.clear(owner::resend);
      owner.onConnectionLost(this, failure);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!closing && failure == null) {
      failure = cause;
      if (cause instanceof IOException) {
        log.debug("connection {} failed", ctx.channel(), cause);
      } else {
        log.warn("connection {} failed", ctx.channel(), cause);
      }
    }
    ctx.close();
  }
}
