package io.drover.bench.relay;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.frame.FrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bare relay: a TCP server that forwards each length-prefixed frame to one of N echo backend
 * processes over a Unix domain socket and each echoed frame back to the client that sent it. It
 * has no task semantics at all, so its throughput is the limit of Drover's architecture (client →
 * TCP → one event loop → UDS → another JVM and back) on the machine it runs on.
 */
public final class BaselineRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BaselineRelay.class);
  private static final long BACKEND_START_NANOS = TimeUnit.SECONDS.toNanos(20);

  private final EventLoopGroup group;
  private final Path socketDirectory;
  private final List<EchoBackendProcess> processes;
  private final List<Channel> backendChannels;
  private final Channel server;

  private BaselineRelay(
      EventLoopGroup group,
      Path socketDirectory,
      List<EchoBackendProcess> processes,
      List<Channel> backendChannels,
      Channel server) {
    this.group = group;
    this.socketDirectory = socketDirectory;
    this.processes = processes;
    this.backendChannels = backendChannels;
    this.server = server;
  }

  /**
   * Spawns {@code backends} echo processes, connects to them and listens on {@code host:port}
   * (port 0 picks a free one).
   */
  public static BaselineRelay start(String host, int port, int backends) throws InterruptedException {
    if (backends <= 0) {
      throw new IllegalArgumentException("backends: " + backends + " (expected: > 0)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    Epoll.ensureAvailability();
    Path directory = createSocketDirectory();
    List<EchoBackendProcess> processes = new ArrayList<>();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("drover-relay", true), EpollIoHandler.newFactory());
    try {
      for (int i = 0; i < backends; i++) {
        processes.add(EchoBackendProcess.start(directory.resolve("backend-" + i + ".sock")));
      }
      FlushList flushList = new FlushList();
      List<Channel> backendChannels = new ArrayList<>();
      RelayBackend[] relayBackends = new RelayBackend[backends];
      for (int i = 0; i < backends; i++) {
        Channel channel = connect(group, processes.get(i), flushList, relayBackends, i);
        backendChannels.add(channel);
      }
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(EpollServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(
                              new FrameDecoder(FrameLimits.DEFAULT_MAX_FRAME_BYTES),
                              new RelayClientHandler(relayBackends, flushList));
                    }
                  })
              .bind(host, port)
              .sync()
              .channel();
      return new BaselineRelay(group, directory, processes, backendChannels, server);
    } catch (IOException e) {
      stop(group, processes, directory);
      throw new UncheckedIOException("cannot start the echo backends", e);
    } catch (RuntimeException | InterruptedException e) {
      stop(group, processes, directory);
      throw e;
    }
  }

  /**
   * Connects to a backend, retrying until its JVM has bound the socket. The backend's handler is
   * created here so that the channel and its {@link RelayBackend} are known together.
   */
  private static Channel connect(
      EventLoopGroup group,
      EchoBackendProcess process,
      FlushList flushList,
      RelayBackend[] relayBackends,
      int index)
      throws InterruptedException {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(EpollDomainSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    RelayBackend backend = new RelayBackend(new FrameBatch(ch));
                    relayBackends[index] = backend;
                    ch.pipeline()
                        .addLast(
                            new FrameDecoder(FrameLimits.DEFAULT_MAX_FRAME_BYTES),
                            new RelayBackendHandler(backend, flushList));
                  }
                });
    long deadline = System.nanoTime() + BACKEND_START_NANOS;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("echo backend " + process.pid() + " exited at start");
      }
      if (Files.exists(process.socket())) {
        ChannelFuture future =
            bootstrap.connect(new DomainSocketAddress(process.socket().toFile())).await();
        if (future.isSuccess()) {
          return future.channel();
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "echo backend " + process.pid() + " did not listen on " + process.socket());
      }
      Thread.sleep(10); // the backend JVM is still starting
    }
  }

  private static Path createSocketDirectory() {
    try {
      return Files.createTempDirectory(
          "drover-relay-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the socket directory", e);
    }
  }

  /** The TCP port clients connect to. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The pids of the echo backend processes. */
  public List<Long> backendPids() {
    return processes.stream().map(EchoBackendProcess::pid).toList();
  }

  /** Completes when the server channel closes. */
  public void awaitClose() throws InterruptedException {
    server.closeFuture().await();
  }

  /** Stops listening, stops the backends and removes their sockets. */
  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    for (Channel channel : backendChannels) {
      channel.close().awaitUninterruptibly();
    }
    stop(group, processes, socketDirectory);
  }

  private static void stop(EventLoopGroup group, List<EchoBackendProcess> processes, Path directory) {
    for (EchoBackendProcess process : processes) {
      process.stop();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    try {
      for (EchoBackendProcess process : processes) {
        Files.deleteIfExists(process.socket());
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      log.warn("cannot remove {}", directory, e);
    }
  }
}
