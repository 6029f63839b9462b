package io.drover.master.internal.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The datagrams a notifier sends, as a stand-in for systemd receives them. */
class SystemdNotifierTest {
  @TempDir Path tmp;
  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Channel listen(String address) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(EpollDomainDatagramChannel.class)
        .handler(
            new SimpleChannelInboundHandler<DomainDatagramPacket>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                received.add(p.content().toString(StandardCharsets.UTF_8));
              }
            })
        .bind(new DomainSocketAddress(address))
        .sync()
        .channel();
  }

  @Test
  void sendsEachStateAsOneDatagramToAPathSocket() throws Exception {
    Path socket = tmp.resolve("notify");
    Channel systemd = listen(socket.toString());
    try {
      SystemdNotifier n = new SystemdNotifier(socket.toString(), group);
      assertThat(n.enabled()).isTrue();
      n.ready();
      n.mainProcessAndReady();
      n.stopping();
      assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("READY=1\nSTATUS=serving");
      assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("MAINPID=" + ProcessHandle.current().pid() + "\nREADY=1\nSTATUS=serving (upgraded)");
      assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("STOPPING=1\nSTATUS=stopping");
    } finally {
      systemd.close().sync();
    }
  }

  @Test
  void anAbstractNameStartsWithAnAt() throws Exception {
    String name = "drover-notify-test-" + ProcessHandle.current().pid();
    Channel systemd = listen("\0" + name);
    try {
      new SystemdNotifier("@" + name, group).ready();
      assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("READY=1\nSTATUS=serving");
    } finally {
      systemd.close().sync();
    }
  }

  @Test
  void withoutASocketNothingIsSentAndNothingFails() {
    SystemdNotifier n = new SystemdNotifier(null, group);
    assertThat(n.enabled()).isFalse();
    n.ready();
    n.stopping();
    // A socket nobody listens on: logged, never thrown (the master serves anyway).
    new SystemdNotifier(tmp.resolve("nobody").toString(), group).ready();
    assertThat(received).isEmpty();
  }
}
