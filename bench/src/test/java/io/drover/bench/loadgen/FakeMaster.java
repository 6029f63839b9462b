package io.drover.bench.loadgen;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the master that answers every request at once: OK with the payload echoed,
 * except every {@code failEvery}-th request, which is answered OVERLOADED. On its first connection
 * it can also, after some requests, send a GOAWAY and refuse what follows with SHUTTING_DOWN, or
 * drop the connection without answering.
 */
final class FakeMaster implements AutoCloseable {
  static final int OVERLOADED = 6;
  static final int SHUTTING_DOWN = 7;
  static final int GOING_AWAY = 14;

  /** What the first connection does after {@code after} requests. */
  enum FirstConnection {
    STAYS,
    GOES_AWAY,
    IS_DROPPED
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
  private final FirstConnection first;
  private final int after;

  FakeMaster(int failEvery) throws InterruptedException {
    this(failEvery, FirstConnection.STAYS, 0);
  }

  FakeMaster(int failEvery, FirstConnection first, int after) throws InterruptedException {
    this.first = first;
    this.after = after;
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new FrameDecoder(FrameLimits.DEFAULT_MAX_FRAME_BYTES),
                            new Answer(failEvery, accepted.incrementAndGet() == 1 ? FakeMaster.this.first : FirstConnection.STAYS, FakeMaster.this.after));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Answer extends ChannelInboundHandlerAdapter {
    private static final byte[] MESSAGE = "queue full".getBytes(StandardCharsets.UTF_8);
    private final RequestHeaderCodec request = new RequestHeaderCodec();
    private final int failEvery;
    private final FirstConnection mode;
    private final int after;
    private long count;
    private long received;

    Answer(int failEvery, FirstConnection mode, int after) {
      this.failEvery = failEvery;
      this.mode = mode;
      this.after = after;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        request.decode(frame);
        if (mode == FirstConnection.IS_DROPPED && ++received > after) {
          ctx.close(); // the requests in flight are never answered
          return;
        }
        ByteBuf out = ctx.alloc().buffer();
        if (mode == FirstConnection.GOES_AWAY && ++received >= after) {
          if (received == after) {
            ResponseHeaderCodec.writeFrame(
                out, 0, GOING_AWAY, "the master is being upgraded".getBytes(StandardCharsets.UTF_8), 0);
          }
          ResponseHeaderCodec.writeFrame(
              out, request.requestId(), SHUTTING_DOWN, "going away".getBytes(StandardCharsets.UTF_8), 0);
        } else if (failEvery > 0 && ++count % failEvery == 0) {
          ResponseHeaderCodec.writeFrame(out, request.requestId(), OVERLOADED, MESSAGE, 0);
        } else {
          ResponseHeaderCodec.writeFramePrefix(
              out, request.requestId(), 0, null, 0, 0, 1, frame.readableBytes());
          out.writeBytes(frame);
        }
        ctx.write(out);
      } finally {
        frame.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
