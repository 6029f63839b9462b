package io.drover.master.internal.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;

/**
 * Where a TCP server socket comes from: an address to bind, or a socket that is bound and listening
 * already, inherited from the master this one upgrades (its file descriptor passed over a Unix
 * domain socket). An inherited socket is registered without accepting: connections wait in the
 * kernel's accept queue, which the two masters share, until {@link #startAccepting} is called, so
 * that the new master takes none before the old one has stopped taking them.
 */
public final class ListenSocket {
  private final String host;
  private final int port;
  private final int inheritedFd;
  private final boolean reusePort;

  private ListenSocket(String host, int port, int inheritedFd, boolean reusePort) {
    this.host = host;
    this.port = port;
    this.inheritedFd = inheritedFd;
    this.reusePort = reusePort;
  }

  /** A socket bound to {@code host}:{@code port} (0: any free port) and accepting at once. */
  public static ListenSocket bind(String host, int port) {
    return new ListenSocket(host, port, -1, false);
  }

  /**
   * The listening socket with file descriptor {@code fd}, this process's own (received with
   * SCM_RIGHTS); it accepts only after {@link #startAccepting}. Epoll transport only.
   */
  public static ListenSocket inherited(int fd) {
    if (fd < 0) {
      throw new IllegalArgumentException("fd: " + fd + " (expected: >= 0)");
    }
    return new ListenSocket(null, 0, fd, false);
  }

  /**
   * The same address bound with SO_REUSEPORT when {@code reusePort}: several masters on one host
   * listen on the port and the kernel spreads new connections among them (epoll only). An
   * inherited socket keeps the options it was bound with.
   */
  public ListenSocket reusePort(boolean reusePort) {
    return isInherited() ? this : new ListenSocket(host, port, -1, reusePort);
  }

  /** Whether the socket comes from another master. */
  public boolean isInherited() {
    return inheritedFd >= 0;
  }

  /**
   * Opens the server channel that {@code bootstrap} describes (group, handlers and options set):
   * binds it, or registers the inherited socket without accepting.
   */
  public ChannelFuture open(ServerBootstrap bootstrap, Transport transport) {
    if (!isInherited()) {
      if (reusePort) {
        if (transport != Transport.EPOLL) {
          throw new IllegalStateException("SO_REUSEPORT needs the epoll transport, not " + transport);
        }
        // Several masters on one port: the kernel spreads new connections by hash among them.
        bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
      }
      return bootstrap.channel(transport.tcpServerChannel()).bind(host, port);
    }
    if (transport != Transport.EPOLL) {
      throw new IllegalStateException("an inherited listening socket needs the epoll transport, not " + transport);
    }
    int fd = inheritedFd;
    return bootstrap.channelFactory(() -> new EpollServerSocketChannel(fd)).option(ChannelOption.AUTO_READ, false).register();
  }

  /** Lets an inherited socket's channel accept connections (a bound one does from the start). */
  public static void startAccepting(Channel serverChannel) {
    serverChannel.config().setAutoRead(true);
  }

  /**
   * The file descriptor of {@code serverChannel}'s socket, to pass to the master that takes over;
   * -1 when the transport has no file descriptors to pass (NIO).
   */
  public static int fileDescriptor(Channel serverChannel) {
    return serverChannel instanceof EpollServerSocketChannel epoll ? epoll.fd().intValue() : -1;
  }

  @Override
  public String toString() {
    return isInherited() ? "inherited listening socket (fd " + inheritedFd + ")" : host + ":" + port + (reusePort ? " (SO_REUSEPORT)" : "");
  }
}
