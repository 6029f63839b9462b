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
 * except every {@code failEvery}-th request, which is answered OVERLOADED.
 */
final class FakeMaster implements AutoCloseable {
  static final int OVERLOADED = 6;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  FakeMaster(int failEvery) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new FrameDecoder(FrameLimits.DEFAULT_MAX_FRAME_BYTES), new Answer(failEvery));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
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
    private long count;

    Answer(int failEvery) {
      this.failEvery = failEvery;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        request.decode(frame);
        ByteBuf out = ctx.alloc().buffer();
        if (failEvery > 0 && ++count % failEvery == 0) {
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
