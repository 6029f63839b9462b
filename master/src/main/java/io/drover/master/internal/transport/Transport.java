package io.drover.master.internal.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The native transport in use: epoll where Netty's native library loads, NIO otherwise. Epoll
 * also gives the worker socket's peer credentials, which NIO cannot.
 */
public enum Transport {
  /** Linux epoll through Netty's native transport. */
  EPOLL,
  /** Java NIO, the portable fallback. */
  NIO;

  /** Epoll when available, else NIO. */
  public static Transport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** A new event loop group of {@code threads} threads named {@code name}. */
  public MultiThreadIoEventLoopGroup newEventLoopGroup(int threads, String name) {
    IoHandlerFactory factory =
        this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
  }

  /** The TCP server channel class. */
  public Class<? extends ServerChannel> tcpServerChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The Unix domain socket server channel class. */
  public Class<? extends ServerChannel> domainServerChannel() {
    return this == EPOLL ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
  }

  /** The address of the Unix domain socket at {@code path} for this transport. */
  public SocketAddress domainAddress(Path path) {
    return this == EPOLL ? new DomainSocketAddress(path.toFile()) : UnixDomainSocketAddress.of(path);
  }

  /** Whether this transport reports a domain socket peer's pid and uid. */
  public boolean hasPeerCredentials() {
    return this == EPOLL;
  }
}
