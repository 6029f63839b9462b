package io.drover.client.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Picks the socket transport: native epoll where it loads, NIO elsewhere. */
public final class Transports {
  static {
    // Every Netty object of the client starts from a group made here: settle where logging goes
    // before Netty's first logger asks SLF4J.
    ClientLogging.init();
  }

  private Transports() {}

  /** A new event loop group of {@code threads} daemon threads on the best transport available. */
  public static EventLoopGroup newGroup(int threads) {
    DefaultThreadFactory threadFactory = new DefaultThreadFactory("drover-client", true);
    return new MultiThreadIoEventLoopGroup(
        threads,
        threadFactory,
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** The TCP channel type that can be registered with {@code group}. */
  public static Class<? extends SocketChannel> socketChannelType(EventLoopGroup group) {
    if (Epoll.isAvailable()
        && group instanceof IoEventLoopGroup ioGroup
        && ioGroup.isIoType(EpollIoHandler.class)) {
      return EpollSocketChannel.class;
    }
    return NioSocketChannel.class;
  }
}
