package io.drover.master.internal.admin;

import io.drover.master.internal.logging.RateLimitedLog;
import io.drover.master.internal.transport.ListenSocket;
import io.drover.master.internal.transport.ServerTls;
import io.drover.master.internal.transport.Transport;
import org.slf4j.LoggerFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The admin HTTP server: Netty's HTTP/1.1 codec with small limits (a 4 KiB request line, 8 KiB of
 * headers, 64 KiB of body), connections closed after a minute idle, at most 256 connections and
 * 30 s per request ({@link AdminConnectionLimits}), on an event loop of its own
 * ({@code drover-admin}, one thread) so that a slow or hostile admin client never delays a task.
 * When it stops, streamed answers ({@code /logs?follow=1}) end with their last chunk, so that a
 * follower can tell a master that stopped from one that died.
 */
public final class AdminServer implements AutoCloseable {
  static final int MAX_INITIAL_LINE_BYTES = 4096;
  static final int MAX_HEADER_BYTES = 8192;
  static final int MAX_CONTENT_BYTES = 64 * 1024;
  static final int IDLE_SECONDS = 60;
  /** How long {@link #close} lets streamed answers write their end. */
  private static final long STREAM_END_MILLIS = 1_000;

  private final MultiThreadIoEventLoopGroup group;
  private final Channel channel;
  private final AdminRouter router;
  /** The open admin connections. */
  private final ChannelGroup connections;

  private AdminServer(MultiThreadIoEventLoopGroup group, Channel channel, AdminRouter router, ChannelGroup connections) {
    this.group = group;
    this.channel = channel;
    this.router = router;
    this.connections = connections;
  }

  /**
   * Opens {@code socket} (an address to bind, 0 for any free port, or a socket inherited from the
   * master being upgraded, which accepts only after {@link #startAccepting}) and serves the router
   * that {@code routes} builds for the admin event loop (routes render their answers there).
   *
   * @throws IOException naming the address when it cannot be bound
   */
  public static AdminServer start(Transport transport, ListenSocket socket, Function<EventLoop, AdminRouter> routes)
      throws IOException {
    return start(transport, socket, routes, null);
  }

  /**
   * As {@link #start(Transport, ListenSocket, Function)}, over HTTPS when {@code tls} says the
   * admin port has TLS (null: plain HTTP).
   */
  public static AdminServer start(
      Transport transport, ListenSocket socket, Function<EventLoop, AdminRouter> routes, ServerTls tls)
      throws IOException {
    MultiThreadIoEventLoopGroup group = transport.newEventLoopGroup(1, "drover-admin");
    try {
      AdminRouter router = routes.apply(group.next());
      ChannelGroup connections = new DefaultChannelGroup("drover-admin", group.next());
      RateLimitedLog handshakeErrors =
          RateLimitedLog.of(LoggerFactory.getLogger(AdminServer.class), "admin connections", group.next());
      AdminConnectionLimits limits =
          new AdminConnectionLimits(
              AdminConnectionLimits.MAX_CONNECTIONS,
              TimeUnit.SECONDS.toNanos(AdminConnectionLimits.REQUEST_READ_SECONDS),
              new RateLimitedLog(
                  LoggerFactory.getLogger(AdminConnectionLimits.class),
                  "admin connections over a limit",
                  1,
                  java.time.Duration.ofSeconds(1),
                  group.next(),
                  io.netty.util.concurrent.Ticker.systemTicker()));
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      connections.add(ch);
                      if (tls != null) {
                        tls.initAdminChannel(ch, handshakeErrors);
                      }
                      if (!limits.admit(ch)) {
                        return;
                      }
                      io.netty.channel.ChannelInboundHandlerAdapter requestTimer = limits.requestStart();
                      ch.pipeline()
                          .addLast(requestTimer)
                          .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                          .addLast(
                              new HttpServerCodec(
                                  new HttpDecoderConfig()
                                      .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                                      .setMaxHeaderSize(MAX_HEADER_BYTES)))
                          .addLast(new HttpObjectAggregator(MAX_CONTENT_BYTES))
                          .addLast(new AdminConnectionLimits.RequestEnd(requestTimer))
                          .addLast(new AdminHttpHandler(router, MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES));
                    }
                  });
      Channel channel = socket.open(bootstrap, transport).sync().channel();
      return new AdminServer(group, channel, router, connections);
    } catch (InterruptedException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding the admin endpoint", e);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IOException(
          "admin endpoint cannot listen on " + socket + ": " + e.getMessage()
              + " (--admin-port 0 takes any free port; --no-admin turns the endpoint off)",
          e);
    }
  }

  /** The address the endpoint listens on. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Starts accepting on a socket inherited from another master (a bound one accepts already). */
  public void startAccepting() {
    ListenSocket.startAccepting(channel);
  }

  /**
   * Stops accepting connections, while those open stay served (the master being upgraded answers
   * the request that upgrades it after the new master has begun to accept).
   */
  public void stopAccepting() {
    channel.close().syncUninterruptibly();
  }

  /** The listening socket's file descriptor, for the master that takes over; -1 with NIO. */
  public int listenerFd() {
    return ListenSocket.fileDescriptor(channel);
  }

  /** The paths served, in the order they were routed. */
  public java.util.Set<String> paths() {
    return router.paths();
  }

  /** Stops listening, ends streamed answers, closes the connections and ends the admin event loop. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    for (Channel c : connections) {
      c.pipeline().fireUserEventTriggered(AdminHttpHandler.SERVER_STOPPING);
    }
    connections.newCloseFuture().awaitUninterruptibly(STREAM_END_MILLIS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
