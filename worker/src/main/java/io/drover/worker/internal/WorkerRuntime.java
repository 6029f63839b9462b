package io.drover.worker.internal;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.worker.WorkerStartException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what a running worker holds: one event loop thread, the pool of {@code capacity} handler
 * threads and the connection to the master. When the connection closes, for whatever reason,
 * everything is released and the worker terminates; it never outlives its master.
 */
public final class WorkerRuntime {
  private static final Logger logger = LoggerFactory.getLogger(WorkerRuntime.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final WorkerConfig config;
  private final DomainSocketTransport transport;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile EventLoopGroup group;
  private volatile ThreadPoolExecutor pool;
  private volatile Channel channel;
  private volatile boolean failed;

  /** Creates a runtime for {@code config} over {@code transport}; nothing starts yet. */
  public WorkerRuntime(WorkerConfig config, DomainSocketTransport transport) {
    this.config = config;
    this.transport = transport;
  }

  /**
   * Connects to the master and registers.
   *
   * @throws WorkerStartException when the master's socket cannot be reached
   * @throws IllegalStateException when called twice or after {@link #close()}
   */
  public void start() {
    if (stopped.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException("worker " + config.workerId() + " was already started");
    }
    int id = config.workerId();
    group = transport.newEventLoopGroup(1, new DefaultThreadFactory("drover-worker-" + id + "-io"));
    pool =
        new ThreadPoolExecutor(
            config.capacity(),
            config.capacity(),
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new DefaultThreadFactory("drover-worker-" + id + "-handler", true));
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(transport.channelClass())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    // A TASK carries a client's payload, which fills up to a whole frame, under
                    // a command header that may be a few bytes longer than the client's header.
                    ch.pipeline()
                        .addLast(
                            new FrameDecoder(
                                config.maxFrameBytes() + FrameLimits.HEADER_HEADROOM_BYTES))
                        .addLast(new MasterConnection(config, pool, WorkerRuntime.this));
                  }
                });
    ChannelFuture connect =
        bootstrap.connect(transport.address(config.socketPath())).awaitUninterruptibly();
    if (!connect.isSuccess()) {
      stop();
      Throwable cause = connect.cause();
      throw new WorkerStartException(
          "worker " + id + " cannot connect to the master at " + config.socketPath() + ": "
              + (cause == null ? "cancelled" : cause.getMessage()),
          cause);
    }
    channel = connect.channel();
    channel.closeFuture().addListener(f -> stop());
    logger.debug("worker {}: connected to {} over {}", id, config.socketPath(), transport);
  }

  /**
   * Drains at the worker's own initiative: the master is told to send no more tasks, the tasks
   * held are finished and answered, then the worker stops. Safe from any thread.
   */
  public void drain() {
    Channel ch = channel;
    if (ch != null) {
      MasterConnection connection = ch.pipeline().get(MasterConnection.class);
      if (connection != null) {
        ch.eventLoop().execute(connection::drainBySelf);
      }
    }
  }

  /** Closes the connection and releases the threads; idempotent. */
  public void close() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
    stop();
  }

  private void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    ThreadPoolExecutor p = pool;
    if (p != null) {
      p.shutdownNow();
    }
    EventLoopGroup g = group;
    if (g == null) {
      terminated.countDown();
    } else {
      g.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> terminated.countDown());
    }
  }

  /** Waits until the worker has stopped. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Waits at most {@code timeout} for the worker to stop; returns whether it did. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Whether the caller runs on this worker's event loop, where waiting would deadlock. */
  public boolean inEventLoop() {
    Channel ch = channel;
    return ch != null && ch.eventLoop().inEventLoop();
  }

  /** Whether the worker stopped because of an error rather than a drain or the master closing. */
  public boolean failed() {
    return failed;
  }

  void markFailed() {
    failed = true;
  }
}
