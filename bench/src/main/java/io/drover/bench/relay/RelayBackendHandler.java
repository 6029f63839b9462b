package io.drover.bench.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The relay's connection to one echo backend: each reply goes to the client the FIFO names. */
final class RelayBackendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RelayBackendHandler.class);

  private final RelayBackend backend;
  private final FlushList flushList;

  RelayBackendHandler(RelayBackend backend, FlushList flushList) {
    this.backend = backend;
    this.flushList = flushList;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      FrameBatch client = backend.nextReplyTarget();
      if (client == null) {
        log.warn("backend {} sent a frame nobody is waiting for", ctx.channel());
      } else if (client.channel().isActive()) {
        flushList.add(client, frame);
      }
    } finally {
      frame.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushList.flushAll();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    log.info("backend connection {} closed", ctx.channel());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("backend connection {} failed", ctx.channel(), cause);
    ctx.close();
  }
}
