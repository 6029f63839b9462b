package io.drover.bench.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.File;

/**
 * An echo backend process of the bare relay: listens on a Unix domain socket and writes every
 * byte it reads straight back, so every frame returns unchanged and in order (no frame is decoded:
 * this is the cheapest possible worker). It exits when its connection closes, or when its parent
 * (the relay) exits before connecting.
 *
 * <p>Usage: {@code java -cp drover-bench.jar io.drover.bench.relay.EchoBackend SOCKET_PATH}.
 */
public final class EchoBackend {
  private EchoBackend() {}

  /** Runs the backend on the socket named by {@code args[0]}. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: EchoBackend SOCKET_PATH");
      System.exit(2);
    }
    Epoll.ensureAvailability();
    ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
    File socket = new File(args[0]);
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("echo-backend", false), EpollIoHandler.newFactory());
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerDomainSocketChannel.class)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new Echo());
                  }
                })
            .bind(new DomainSocketAddress(socket))
            .sync()
            .channel();
    server.closeFuture().sync();
    group.shutdownGracefully();
  }

  /** Writes back what it reads; flushes once per read batch; exits with its connection. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      System.exit(0);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
