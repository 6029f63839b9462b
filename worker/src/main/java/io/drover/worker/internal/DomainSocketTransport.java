package io.drover.worker.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;

/**
 * The Unix domain socket transport: native epoll where it loads, otherwise the JDK's NIO domain
 * sockets (Java 16+), so the worker runs on any OS that has {@code AF_UNIX}.
 */
public enum DomainSocketTransport {
  /** Netty's native epoll transport (Linux). */
  EPOLL {
    @Override
    public EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
      return new MultiThreadIoEventLoopGroup(threads, threadFactory, EpollIoHandler.newFactory());
    }

    @Override
    public Class<? extends Channel> channelClass() {
      return EpollDomainSocketChannel.class;
    }

    @Override
    public SocketAddress address(Path path) {
      return new DomainSocketAddress(path.toString());
    }
  },
  /** The JDK's NIO domain sockets. */
  NIO {
    @Override
    public EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
      return new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
    }

    @Override
    public Class<? extends Channel> channelClass() {
      return NioDomainSocketChannel.class;
    }

    @Override
    public SocketAddress address(Path path) {
      return UnixDomainSocketAddress.of(path);
    }
  };

  /** Epoll when available, else NIO. */
  public static DomainSocketTransport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** A new event loop group for this transport. */
  public abstract EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory);

  /** The client channel class. */
  public abstract Class<? extends Channel> channelClass();

  /** The socket address of {@code path} in this transport's address type. */
  public abstract SocketAddress address(Path path);
}
