package io.drover.master.internal.upgrade;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sd_notify} for a master run as a systemd {@code Type=notify} service: {@code READY=1}
 * once it serves, {@code STOPPING=1} when it begins to stop, and, after an upgrade, {@code
 * MAINPID=} of the new master, so that systemd follows the service to the new process instead of
 * counting the old one's exit as the service's. A datagram to the socket that {@code
 * $NOTIFY_SOCKET} names (a path, or an abstract name starting with {@code @}); nothing at all when
 * it is not set. Needs {@code NotifyAccess=all} in the unit for the new master's messages (it is not
 * the process systemd started).
 */
public final class SystemdNotifier {
  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

  private final String socket;
  private final EventLoopGroup group;

  /** A notifier to {@code socket} ({@code $NOTIFY_SOCKET}'s form; null: none). */
  SystemdNotifier(String socket, EventLoopGroup group) {
    this.socket = socket;
    this.group = group;
  }

  /**
   * A notifier to {@code $NOTIFY_SOCKET}, sending from {@code group} (an epoll group); one that
   * sends nothing when the variable is not set or epoll is not available.
   */
  public static SystemdNotifier fromEnvironment(EventLoopGroup group) {
    String socket = System.getenv("NOTIFY_SOCKET");
    if (socket != null && !socket.isEmpty() && !Epoll.isAvailable()) {
      log.warn("NOTIFY_SOCKET is set but the epoll transport is not available: systemd will not hear from this master");
      socket = null;
    }
    return new SystemdNotifier(socket == null || socket.isEmpty() ? null : socket, group);
  }

  /** Whether messages go anywhere. */
  public boolean enabled() {
    return socket != null;
  }

  /** The master serves. */
  public void ready() {
    send("READY=1\nSTATUS=serving");
  }

  /** This process, an upgrade's new master, is the service's main process from now on, and serves. */
  public void mainProcessAndReady() {
    send("MAINPID=" + ProcessHandle.current().pid() + "\nREADY=1\nSTATUS=serving (upgraded)");
  }

  /** The master begins to stop. */
  public void stopping() {
    send("STOPPING=1\nSTATUS=stopping");
  }

  /** {@code state} as one datagram; a failure is logged, never thrown: the master serves anyway. */
  void send(String state) {
    if (socket == null) {
      return;
    }
    // An abstract socket's name starts with a NUL byte where systemd writes '@'.
    String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
    Channel channel = null;
    try {
      channel =
          new Bootstrap()
              .group(group)
              .channel(EpollDomainDatagramChannel.class)
              .handler(new ChannelInboundHandlerAdapter())
              .connect(new DomainSocketAddress(path))
              .sync()
              .channel();
      channel.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).sync();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("cannot notify systemd at {} ({}): {}", socket, state.replace('\n', ' '), e.toString());
    } finally {
      if (channel != null) {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
    }
  }
}
