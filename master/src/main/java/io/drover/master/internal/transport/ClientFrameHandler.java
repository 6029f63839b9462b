package io.drover.master.internal.transport;

import io.drover.master.internal.logging.RateLimitedLog;
import io.drover.protocol.frame.FrameTooLargeException;
import io.drover.protocol.frame.MalformedFrameException;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the header of each client frame and hands the frame to the dispatcher. Protocol errors
 * are answered here: a bad header gets {@code MALFORMED_FRAME} and the connection stays open
 * (framing is intact); a frame too large or a broken length prefix gets {@code FRAME_TOO_LARGE}
 * or {@code MALFORMED_FRAME} with request id 0 and the connection is closed, since the stream
 * cannot be resynchronised.
 *
 * <p>Bad frames never become tasks, so no in-flight limit slows a client that sends a flood of
 * them: instead, a connection that sent one in a read is not read again in the same turn of the
 * event loop (Netty would otherwise read it up to 16 times, a megabyte of frames, before serving
 * anyone else), so it gets one read per turn like everybody else.
 *
 * <p>Everything logged here is triggered by what a client sends, so it goes through rate limits:
 * the per-frame warnings through one {@link RateLimitedLog} per connection, and the warnings that
 * close a connection through one shared by all connections (a client could reconnect in a loop).
 * A flood of bad frames thus costs a few log lines a second, not one per frame.
 *
 * @param <S> the dispatcher's per-connection state
 */
public final class ClientFrameHandler<S> extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientFrameHandler.class);

  private final ClientFrameListener<S> listener;
  private final BatchFlusher flusher;
  private final ClientTraffic traffic;
  private final RateLimitedLog connectionErrors;
  private final RequestHeaderCodec header = new RequestHeaderCodec();
  private OutboundBatch out;
  private S session;
  /** Created at this connection's first warning: most connections never need one. */
  private RateLimitedLog warnings;
  /** Reading is off for the rest of this loop turn because of a bad frame. */
  private boolean yielding;
  /**
   * Frames other than AUTH are refused: the connection has not authenticated yet, or was refused
   * (then {@link #refused} too). One field, so the task path reads one.
   */
  private boolean gated;
  /** UNAUTHENTICATED was sent and the connection is closing: later frames are dropped. */
  private boolean refused;
  private Runnable endYield;
  private final long authTimeoutNanos;
  /** Closes a gated connection that has not authenticated in time; null once not needed. */
  private java.util.concurrent.ScheduledFuture<?> authDeadline;

  /**
   * Creates the handler of one client connection.
   *
   * @param traffic where the frames and bytes of the connections of {@code flusher}'s loop are
   *     counted
   * @param connectionErrors the limiter, shared by the connections of the server, of the
   *     warnings logged when a connection is closed for an error
   * @param authTimeoutNanos how long a connection that must authenticate has to do it, from its
   *     start
   */
  public ClientFrameHandler(
      ClientFrameListener<S> listener,
      BatchFlusher flusher,
      ClientTraffic traffic,
      RateLimitedLog connectionErrors,
      long authTimeoutNanos) {
    this.authTimeoutNanos = authTimeoutNanos;
    this.listener = listener;
    this.flusher = flusher;
    this.traffic = traffic;
    this.connectionErrors = connectionErrors;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    out = new OutboundBatch(ctx.channel(), flusher, traffic);
    session = listener.clientConnected(ctx.channel(), out);
    gated = listener.mustAuthenticate(session);
    if (gated) {
      // One timer per connection, only on masters with tenants: not on the task path.
      authDeadline = ctx.executor().schedule(() -> authTimedOut(ctx), authTimeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    traffic.received(frame.readableBytes());
    try {
      header.decode(frame);
    } catch (MalformedFrameException e) {
      frame.release();
      yieldTurn(ctx);
      if (warnings(ctx).permit()) {
        log.warn("client {}: malformed request header: {}", ctx.channel().remoteAddress(), e.getMessage());
      }
      ResponseWriter.error(out, 0, Status.MALFORMED_FRAME_VALUE, "malformed request header: " + e.getMessage(), 0);
      return;
    }
    if (gated) {
      gate(ctx, frame); // a field read on the task path: the rest is out of line
      return;
    }
    switch (header.kind()) {
      case RequestHeaderCodec.KIND_SUBMIT -> listener.submit(session, header, frame);
      case RequestHeaderCodec.KIND_JOB -> listener.job(session, header, frame);
      case RequestHeaderCodec.KIND_CANCEL -> {
        frame.release();
        listener.cancel(session, header.requestId());
      }
      case RequestHeaderCodec.KIND_PING -> {
        frame.release();
        listener.ping(session, header.requestId());
      }
      case RequestHeaderCodec.KIND_AUTH -> authenticate(ctx, frame);
      default -> {
        frame.release();
        yieldTurn(ctx);
        if (warnings(ctx).permit()) {
          log.warn("client {}: unknown request kind {}", ctx.channel().remoteAddress(), header.kind());
        }
        ResponseWriter.error(
            out,
            header.requestId(),
            Status.MALFORMED_FRAME_VALUE,
            "unknown request kind " + header.kind(),
            0);
      }
    }
  }

  private void authTimedOut(ChannelHandlerContext ctx) {
    authDeadline = null;
    if (gated && !refused && ctx.channel().isActive()) {
      listener.unauthenticatedFrame(session);
      refuse(ctx, "no authentication within " + io.drover.protocol.HumanUnits.nanos(authTimeoutNanos)
          + " (--auth-timeout): send an AUTH frame with a token first (docs/PROTOCOL.md)");
    }
  }

  private void authenticated() {
    gated = false;
    if (authDeadline != null) {
      authDeadline.cancel(false);
      authDeadline = null;
    }
  }

  /** A frame before the connection authenticated: an AUTH is checked, anything else refused. */
  private void gate(ChannelHandlerContext ctx, ByteBuf frame) {
    if (refused) {
      frame.release();
    } else if (header.kind() == RequestHeaderCodec.KIND_AUTH) {
      authenticate(ctx, frame);
    } else {
      frame.release();
      listener.unauthenticatedFrame(session);
      refuse(ctx, "this master requires authentication: send an AUTH frame with a token first (docs/PROTOCOL.md)");
    }
  }

  private void authenticate(ChannelHandlerContext ctx, ByteBuf frame) {
    AuthAnswer answer;
    try {
      answer = listener.authenticate(session, frame);
    } finally {
      frame.release();
    }
    if (answer.accepted() && !refused) {
      authenticated();
      ResponseWriter.error(out, header.requestId(), Status.OK_VALUE, answer.message(), 0);
    } else {
      refuse(ctx, answer.message());
    }
  }

  /** Answers UNAUTHENTICATED (connection level) and closes once that is written. */
  private void refuse(ChannelHandlerContext ctx, String why) {
    refused = true;
    gated = true;
    Channel ch = ctx.channel();
    ch.config().setAutoRead(false);
    if (connectionErrors.permit()) {
      log.warn("client {}: not authenticated ({}); closing the connection", ch.remoteAddress(), why);
    }
    out.flush();
    ByteBuf reply = ch.alloc().buffer(64 + why.length() * 3);
    io.drover.protocol.wire.ResponseHeaderCodec.writeFrame(
        reply, 0, Status.UNAUTHENTICATED_VALUE, io.drover.protocol.wire.ProtoWire.utf8(why), 0);
    traffic.frameSent();
    traffic.written(reply.readableBytes());
    ch.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (gated && evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && done.isSuccess()) {
      javax.security.auth.x500.X500Principal subject = peerSubject(ctx);
      if (subject != null && listener.authenticateCertificate(session, subject)) {
        authenticated();
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** The subject of the client's certificate, or null when it presented none. */
  private static javax.security.auth.x500.X500Principal peerSubject(ChannelHandlerContext ctx) {
    io.netty.handler.ssl.SslHandler ssl = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
    if (ssl == null) {
      return null;
    }
    try {
      java.security.cert.Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x
          ? x.getSubjectX500Principal()
          : null;
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /**
   * Stops reading this connection for the rest of the loop turn: the frames of the current read
   * are still handled, but the loop serves the other connections before it reads this one again.
   */
  private void yieldTurn(ChannelHandlerContext ctx) {
    if (yielding) {
      return;
    }
    yielding = true;
    ctx.channel().config().setAutoRead(false);
    Runnable end = endYield;
    if (end == null) {
      end = endYield = () -> {
        yielding = false;
        if (session != null && ctx.channel().isActive()) {
          listener.mayResumeReading(session);
        }
      };
    }
    // Tasks run after the loop has handled this turn's I/O, so the others' reads come first.
    ctx.executor().execute(end);
  }

  private RateLimitedLog warnings(ChannelHandlerContext ctx) {
    RateLimitedLog w = warnings;
    if (w == null) {
      w = warnings = RateLimitedLog.of(log, ctx.channel().remoteAddress(), ctx.executor());
    }
    return w;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (authDeadline != null) {
      authDeadline.cancel(false);
    }
    if (warnings != null) {
      warnings.close();
    }
    if (session != null) {
      listener.clientDisconnected(session);
    }
    if (out != null) {
      out.discard();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // A client that does not read its results stops being read from, so it cannot make the
    // master buffer without bound.
    if (session != null) {
      listener.writabilityChanged(session);
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** What the client is told: its frame's size, the largest accepted and the option that sets it. */
  static String frameTooLarge(FrameTooLargeException e) {
    return io.drover.protocol.FrameLimits.frameTooLargeMessage(
        "frame", e.frameBytes(), e.maxFrameBytes(), "the master's --max-frame-bytes");
  }

  /**
   * Writes what is pending, then one connection-level error ({@code request_id = 0}) and closes
   * the connection once it is written.
   */
  void closeWithError(Channel ch, int status, String text) {
    if (out != null) {
      out.flush();
    }
    ByteBuf reply = ch.alloc().buffer(64 + text.length() * 3);
    byte[] message = io.drover.protocol.wire.ProtoWire.utf8(text);
    io.drover.protocol.wire.ResponseHeaderCodec.writeFrame(reply, 0, status, message, 0);
    traffic.frameSent();
    traffic.written(reply.readableBytes());
    ch.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
  }

  /** Whether the dispatcher holds a task or job of this connection (see {@link ConnectionWatch}). */
  boolean holdsWork() {
    return session != null && listener.holdsWork(session);
  }

  /** Sends this connection a GOAWAY for {@code reason}; the dispatcher closes it once it holds nothing. */
  void goAway(String reason) {
    if (session != null) {
      listener.goAway(session, reason);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Channel ch = ctx.channel();
    if (cause instanceof FrameTooLargeException || cause instanceof MalformedFrameException) {
      int status =
          cause instanceof FrameTooLargeException
              ? Status.FRAME_TOO_LARGE_VALUE
              : Status.MALFORMED_FRAME_VALUE;
      if (connectionErrors.permit()) {
        log.warn("client {}: {}; closing the connection", ch.remoteAddress(), cause.getMessage());
      }
      closeWithError(ch, status, cause instanceof FrameTooLargeException e ? frameTooLarge(e) : cause.getMessage());
    } else if (cause instanceof IOException) {
      if (log.isDebugEnabled()) {
        log.debug("client {}: {}", ch.remoteAddress(), cause.toString());
      }
      ch.close();
    } else {
      if (connectionErrors.permit()) {
        log.warn("client {}: unexpected error; closing the connection", ch.remoteAddress(), cause);
      }
      ch.close();
    }
  }
}
