package io.drover.bench.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection of the relay: each frame goes to the backend with the fewest outstanding
 * frames (round-robin among equals), unchanged.
 */
final class RelayClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RelayClientHandler.class);

  private final RelayBackend[] backends;
  private final FlushList flushList;
  private FrameBatch replies;
  private int next;

  RelayClientHandler(RelayBackend[] backends, FlushList flushList) {
    this.backends = backends;
    this.flushList = flushList;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    replies = new FrameBatch(ctx.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      RelayBackend backend = pick();
      backend.expectReplyFor(replies);
      flushList.add(backend.toBackend(), frame);
    } finally {
      frame.release();
    }
  }

  private RelayBackend pick() {
    int count = backends.length;
    int start = next;
    next = next + 1 == count ? 0 : next + 1;
    RelayBackend best = backends[start];
    for (int i = 1; i < count; i++) {
      RelayBackend candidate = backends[(start + i) % count];
      if (candidate.outstanding() < best.outstanding()) {
        best = candidate;
      }
    }
    return best;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushList.flushAll();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("client {} failed", ctx.channel(), cause);
    } else {
      log.warn("client {} failed", ctx.channel(), cause);
    }
    ctx.close();
  }
}
