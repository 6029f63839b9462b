package io.drover.master.internal.admin;

import io.drover.master.internal.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port's limits against clients that hold connections without using them: at most
 * {@link #MAX_CONNECTIONS} connections at once (one more is answered {@code 503} and closed), and
 * a request must arrive whole within {@link #REQUEST_READ_SECONDS} of its first byte (a slowloris
 * that trickles its headers is closed). The admin port is not the task path: a timer per request
 * costs nothing that matters here. On the admin loop.
 */
final class AdminConnectionLimits {
  private static final Logger log = LoggerFactory.getLogger(AdminConnectionLimits.class);
  /** Admin connections open at once: status pages, CLIs and scrapers, with room to spare. */
  static final int MAX_CONNECTIONS = 256;
  /** How long a request may take from its first byte to its last. */
  static final long REQUEST_READ_SECONDS = 30;

  private final int maxConnections;
  private final long requestReadNanos;
  private final RateLimitedLog warnings;
  private int open;

  AdminConnectionLimits(int maxConnections, long requestReadNanos, RateLimitedLog warnings) {
    this.maxConnections = maxConnections;
    this.requestReadNanos = requestReadNanos;
    this.warnings = warnings;
  }

  /**
   * Counts {@code ch} until it closes and returns true, or, over the limit, arranges its {@code
   * 503} and returns false: the caller then adds nothing more to its pipeline (but TLS, which
   * goes first).
   */
  boolean admit(Channel ch) {
    if (open >= maxConnections) {
      if (warnings.permit()) {
        log.warn("admin client {} refused: too many admin connections ({} open)", ch.remoteAddress(), open);
      }
      ch.pipeline().addLast(new Refusal("too many admin connections: " + open + " open\n"));
      return false;
    }
    open++;
    ch.closeFuture().addListener(f -> open--);
    return true;
  }

  /** The handler that goes first (after TLS) in an admitted connection's pipeline. */
  ChannelInboundHandlerAdapter requestStart() {
    return new RequestTimer();
  }

  /**
   * Sits in front of the HTTP codec and starts a timer at the first bytes of each request; {@link
   * RequestEnd}, after the aggregator, stops it when the request is whole. A connection that then
   * sends nothing (a follower of {@code /logs}) has no timer.
   */
  final class RequestTimer extends ChannelInboundHandlerAdapter {
    private ScheduledFuture<?> timer;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf && timer == null) {
        timer = ctx.executor().schedule(() -> timedOut(ctx), requestReadNanos, TimeUnit.NANOSECONDS);
      }
      ctx.fireChannelRead(msg);
    }

    /** The request arrived whole: the next one gets its own time. */
    void requestDone() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }

    private void timedOut(ChannelHandlerContext ctx) {
      if (warnings.permit()) {
        log.warn(
            "admin client {}: no whole request within {} s of its first byte; closing the connection",
            ctx.channel().remoteAddress(),
            TimeUnit.NANOSECONDS.toSeconds(requestReadNanos));
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      requestDone();
      ctx.fireChannelInactive();
    }
  }

  /** Sits after the aggregator: tells the connection's {@link RequestTimer} each whole request. */
  static final class RequestEnd extends ChannelInboundHandlerAdapter {
    private final RequestTimer timer;

    RequestEnd(ChannelInboundHandlerAdapter timer) {
      this.timer = (RequestTimer) timer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest) {
        timer.requestDone();
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** The whole pipeline of a refused admin connection: one 503, then close. */
  private static final class Refusal extends ChannelInboundHandlerAdapter {
    private final String body;

    Refusal(String body) {
      this.body = body;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      byte[] text = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: "
              + text.length + "\r\nconnection: close\r\n\r\n";
      ByteBuf reply = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), text);
      ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }
}
