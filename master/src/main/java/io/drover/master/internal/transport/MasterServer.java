package io.drover.master.internal.transport;

import io.drover.protocol.frame.FrameDecoder;
import io.drover.master.internal.logging.RateLimitedLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The master's two listening sockets: TCP for clients and a Unix domain socket for workers. Both
 * run on one event loop so that every connection, and the dispatcher state they touch, share a
 * thread: no locks and no cross-thread wake-ups on the task path.
 */
public final class MasterServer implements AutoCloseable {
  /**
   * Write water marks of a worker's socket. Above the high mark the worker gets no new tasks (they
   * wait in the master's bounded queue instead of its socket's unbounded outbound buffer) until
   * the buffer drains below the low mark. The in-flight cap bounds a worker's tasks; these bound
   * their bytes, which matters with large payloads.
   */
  static final WriteBufferWaterMark WORKER_WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

  /** The most bytes read from a client's socket at once. */
  static final int MAX_CLIENT_READ = 16 * 1024;

  private final Channel clientServer;
  private final Channel workerServer;
  private final ClientTraffic clientTraffic;
  private final ClientConnections clientConnections;

  private MasterServer(
      Channel clientServer, Channel workerServer, ClientTraffic clientTraffic, ClientConnections clientConnections) {
    this.clientServer = clientServer;
    this.workerServer = workerServer;
    this.clientTraffic = clientTraffic;
    this.clientConnections = clientConnections;
  }

  /**
   * Binds both servers.
   *
   * @param client the client socket: an address to bind, or a socket inherited from the master
   *     being upgraded (which accepts only after {@link #startAcceptingClients})
   * @param socketPath where to create the worker socket
   * @param maxFrameBytes largest frame accepted on either socket
   * @param tls the client port's TLS, read at each new connection
   * @param limits the client port's connection limits
   * @throws InterruptedException if interrupted while binding
   */
  public static <C, W> MasterServer bind(
      Transport transport,
      EventLoopGroup loop,
      BatchFlusher flusher,
      ListenSocket client,
      Path socketPath,
      int maxFrameBytes,
      ClientFrameListener<C> clients,
      WorkerFrameListener<W> workers,
      PeerVerifier verifier,
      ServerTls tls,
      io.drover.master.config.ConnectionLimits limits)
      throws InterruptedException {
    // Connection-level errors are limited across all the connections of each socket, which share
    // this one loop: a peer that reconnects in a loop must not flood the log either.
    RateLimitedLog workerErrors =
        RateLimitedLog.of(LoggerFactory.getLogger(WorkerFrameHandler.class), "worker-socket connections", loop.next());
    RateLimitedLog clientErrors =
        RateLimitedLog.of(LoggerFactory.getLogger(ClientFrameHandler.class), "client connections", loop.next());
    Channel workerServer =
        new ServerBootstrap()
            .group(loop)
            .channel(transport.domainServerChannel())
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WORKER_WATER_MARK)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new FrameDecoder(maxFrameBytes))
                        .addLast(new WorkerFrameHandler<>(workers, verifier, flusher, workerErrors));
                  }
                })
            .bind(transport.domainAddress(socketPath))
            .sync()
            .channel();
    // Every connection is served by the flusher's loop, so one set of counters.
    ClientTraffic clientTraffic = new ClientTraffic(flusher.loop());
    ClientConnections connections = new ClientConnections(flusher.loop(), limits);
    tls.handshakeTimeout(limits.tlsHandshakeTimeout(), connections::handshakeTimedOut);
    OpenFileLimit.check(limits.maxConnections());
    ServerBootstrap clientBootstrap =
        new ServerBootstrap()
            .group(loop)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // Reads of at most 16 KiB (Netty's default grows to 64 KiB): with ClientFrameHandler
            // giving a connection that sends bad frames one read per loop turn, this bounds what
            // a flood of them costs the others per turn (4,096 frames of 4 bytes). Measured: no
            // loss for well-behaved clients (bench/RESULTS.md).
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_CLIENT_READ))
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    String refused = connections.refusal(ch);
                    tls.initClientChannel(ch, clientErrors);
                    if (refused != null) {
                      ch.pipeline().addLast(new ConnectionRefusal(refused));
                      return;
                    }
                    FrameDecoder decoder = new FrameDecoder(maxFrameBytes);
                    ClientFrameHandler<C> frames = new ClientFrameHandler<>(clients, flusher, clientTraffic, clientErrors, limits.authTimeout().toNanos());
                    ch.pipeline().addLast(decoder, connections.open(ch, decoder, frames), frames);
                  }
                });
    Channel clientServer;
    try {
      clientServer = client.open(clientBootstrap, transport).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      workerServer.close();
      throw e;
    }
    flusher.loop().execute(connections::start);
    return new MasterServer(clientServer, workerServer, clientTraffic, connections);
  }

  /** The client port's connections: open, refused and closed by a limit. Any thread. */
  public java.util.concurrent.CompletableFuture<ConnectionStats> clientConnections() {
    return clientConnections.stats();
  }

  /** Frames and bytes to and from clients so far, copied on the loop that counts them. Any thread. */
  public java.util.concurrent.CompletableFuture<ClientTraffic.Totals> clientTraffic() {
    return clientTraffic.totals();
  }

  /** The bound client address (with the real port when 0 was asked for). */
  public InetSocketAddress clientAddress() {
    return (InetSocketAddress) clientServer.localAddress();
  }

  /** Starts accepting on a client socket inherited from another master (bound ones accept already). */
  public void startAcceptingClients() {
    ListenSocket.startAccepting(clientServer);
  }

  /** The client listening socket's file descriptor, for the master that takes over; -1 with NIO. */
  public int clientListenerFd() {
    return ListenSocket.fileDescriptor(clientServer);
  }

  /** Stops accepting new client connections; existing ones stay open. */
  public void stopAcceptingClients() {
    clientServer.close().syncUninterruptibly();
  }

  @Override
  public void close() {
    clientConnections.stop();
    clientServer.close().syncUninterruptibly();
    workerServer.close().syncUninterruptibly();
  }
}
