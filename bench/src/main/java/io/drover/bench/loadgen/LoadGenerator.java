package io.drover.bench.loadgen;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.frame.FrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One load generator run: connects, warms up, measures for the configured duration, stops sending,
 * waits for the tasks in flight (at most {@code --timeout}) and reports. All connections share one
 * event loop thread, which also owns every counter and the histogram.
 */
public final class LoadGenerator implements LoadConnection.Owner {
  private final LoadSettings settings;
  /** TLS for each connection, or null for plaintext. */
  private final io.drover.client.internal.ClientTls tls;
  private String token;
  private final LoadRecorder recorder = new LoadRecorder();
  private final RequestEncoder encoder;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private final List<String> connectionFailures = new ArrayList<>();
  /** Connections that got a GOAWAY and still hold tasks. */
  private final List<LoadConnection> retiring = new ArrayList<>();
  /** Send times of tasks waiting to go out again on another connection. */
  private long[] resends = new long[64];
  private int resendCount;
  /** Connections made to replace one that got a GOAWAY or was lost. */
  private long reconnects;
  private Bootstrap bootstrap;
  private ReplyDecoder decoder;
  private LoadConnection[] connections;
  private EventLoop loop;
  private OpenLoopSchedule schedule;
  private long nextTask;
  private int nextConnection;
  private boolean sending;
  private long drainDeadlineNanos;
  /** The measured window has ended: from now on, a read that leaves nothing in flight ends the run. */
  private boolean windowEnded;
  private long loopCpuStart;
  private long loopCpuNanos;
  private long processCpuStart;
  private long processCpuNanos;

  /** A run with {@code settings}; nothing happens until {@link #run()}. */
  public LoadGenerator(LoadSettings settings) {
    this(settings, null);
  }

  /** A run with {@code settings} over TLS as {@code tls} says (null: plaintext). */
  public LoadGenerator(LoadSettings settings, io.drover.client.DroverTls tls) {
    this.settings = settings;
    this.tls = tls == null ? null : io.drover.client.internal.ClientTls.of(tls, 5000);
    this.encoder = new RequestEncoder(settings.taskType(), settings.payloadBytes());
  }

  /**
   * Authenticates each connection, replacements included, with {@code token} (an AUTH frame
   * first); null for none. Returns this generator.
   */
  public LoadGenerator token(String token) {
    this.token = token;
    return this;
  }

  /**
   * Runs the whole benchmark and returns its report.
   *
   * @throws LoadGeneratorException when a connection cannot be established
   */
  public LoadReport run() throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("drover-bench", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    try {
      loop = group.next();
      connect(new Bootstrap()
          .group(group)
          .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000));
      loop.execute(this::start);
      done.get();
      return LoadReport.of(
          settings, recorder, List.copyOf(connectionFailures), reconnects, loopCpuNanos, processCpuNanos);
    } catch (ExecutionException e) {
      throw new LoadGeneratorException("the run failed: " + e.getCause(), e.getCause());
    } finally {
      if (loop != null && !done.isDone()) {
        loop.execute(this::finish);
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private void connect(Bootstrap bootstrap) {
    this.bootstrap = bootstrap;
    this.decoder = ReplyDecoder.forEchoFrames(settings.expectEchoFrames());
    connections = new LoadConnection[settings.connections()];
    for (int i = 0; i < connections.length; i++) {
      LoadConnection connection = newConnection(i);
      connections[i] = connection;
      ChannelFuture future = connect(connection).awaitUninterruptibly();
      if (!future.isSuccess()) {
        throw new LoadGeneratorException(
            "cannot connect to " + settings.host() + ":" + settings.port() + ": " + whyNotConnected(future.cause()),
            future.cause());
      }
      if (tls != null) {
        // The handshakes before the run, so that the warm-up measures tasks, not handshakes.
        var handshake = future.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class).handshakeFuture().awaitUninterruptibly();
        if (!handshake.isSuccess()) {
          throw new LoadGeneratorException(
              io.drover.client.internal.ClientTls.handshakeFailure(settings.host() + ":" + settings.port(), handshake.cause()),
              handshake.cause());
        }
      }
      if (token != null) {
        // Refused at once rather than counted as errors: a run with the wrong token measures nothing.
        var auth = io.drover.client.internal.AuthHandshake.result(future.channel());
        if (!auth.awaitUninterruptibly(5000) || !auth.isSuccess()) {
          throw new LoadGeneratorException(
              auth.isDone() ? auth.cause().getMessage() : "no answer to the token within 5 s", auth.cause());
        }
      }
    }
  }

  private LoadConnection newConnection(int index) {
    return new LoadConnection(this, encoder, decoder, settings.concurrency(), index, settings.connections());
  }

  private ChannelFuture connect(LoadConnection connection) {
    return bootstrap
        .clone()
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                if (tls != null) {
                  ch.pipeline().addLast(tls.newHandler(ch.alloc(), settings.host(), settings.port()));
                }
                ch.pipeline().addLast(new FrameDecoder(FrameLimits.DEFAULT_MAX_FRAME_BYTES));
                if (token != null) {
                  ch.pipeline().addLast(new io.drover.client.internal.AuthHandshake(token));
                }
                ch.pipeline().addLast(connection);
              }
            })
        .connect(settings.host(), settings.port());
  }

  // ---- following the master: GOAWAY, lost connections, resends

  /** How long a connection is tried again before the tasks waiting for it are lost. */
  private static final long RECONNECT_BOUND_SECONDS = 10;

  @Override
  public void onConnected() {
    sendResends();
  }

  @Override
  public void onGoAway(LoadConnection connection) {
    retiring.add(connection);
    replace(connection);
  }

  @Override
  public void resend(long sendNanos) {
    if (resendCount == resends.length) {
      resends = java.util.Arrays.copyOf(resends, resendCount * 2);
    }
    resends[resendCount++] = sendNanos;
  }

  /** Sends the tasks waiting to go out again, on the connections that take tasks. */
  private void sendResends() {
    if (resendCount == 0 || done.isDone()) {
      return;
    }
    for (LoadConnection connection : connections) {
      while (resendCount > 0 && connection.send(resends[resendCount - 1])) {
        resendCount--;
      }
      connection.flush();
    }
  }

  /**
   * Puts a new connection in {@code old}'s place, connecting at once, then with backoff (50 ms
   * doubling to 1 s) for at most {@link #RECONNECT_BOUND_SECONDS}, after which the tasks waiting
   * for a connection are lost.
   */
  private void replace(LoadConnection old) {
    if (done.isDone() || connections[old.index] != old) {
      return;
    }
    LoadConnection next = newConnection(old.index);
    connections[old.index] = next;
    attempt(next, System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50));
  }

  private void attempt(LoadConnection next, long startedNanos, long backoffNanos) {
    if (done.isDone()) {
      return;
    }
    connect(next).addListener(f -> {
      if (f.isSuccess()) {
        reconnects++;
        return;
      }
      if (System.nanoTime() - startedNanos >= TimeUnit.SECONDS.toNanos(RECONNECT_BOUND_SECONDS)) {
        connectionFailures.add("could not reconnect within " + RECONNECT_BOUND_SECONDS + " s: " + f.cause());
        for (; resendCount > 0; resendCount--) {
          recorder.onLost(resends[resendCount - 1], LoadRecorder.CONNECTION_LOST);
        }
        return;
      }
      loop.schedule(
          () -> attempt(next, startedNanos, Math.min(backoffNanos * 2, TimeUnit.SECONDS.toNanos(1))),
          backoffNanos,
          TimeUnit.NANOSECONDS);
    });
  }

  /** Resends waiting past the timeout count as timed out, as they would on a connection. */
  private void expireResends(long deadlineNanos) {
    int kept = 0;
    for (int i = 0; i < resendCount; i++) {
      if (resends[i] - deadlineNanos < 0) {
        recorder.onLost(resends[i], LoadRecorder.CLIENT_TIMEOUT);
      } else {
        resends[kept++] = resends[i];
      }
    }
    resendCount = kept;
  }

  private static String whyNotConnected(Throwable cause) {
    return cause instanceof java.net.ConnectException && String.valueOf(cause.getMessage()).contains("Connection refused")
        ? "nothing is listening there (connection refused)"
        : String.valueOf(cause.getMessage());
  }

  private void start() {
    long now = System.nanoTime();
    sending = true;
    if (settings.openLoop()) {
      schedule = new OpenLoopSchedule(now, settings.rate());
      long tick = settings.tickMicros();
      timers.add(loop.scheduleAtFixedRate(this::pump, tick, tick, TimeUnit.MICROSECONDS));
      pump();
    } else {
      for (LoadConnection connection : connections) {
        for (int i = 0; i < settings.concurrency(); i++) {
          connection.send(now);
        }
        connection.flush();
      }
    }
    long warmup = seconds(settings.warmupSeconds());
    timers.add(loop.schedule(this::startWindow, warmup, TimeUnit.NANOSECONDS));
    timers.add(loop.schedule(this::endWindow, warmup + seconds(settings.durationSeconds()), TimeUnit.NANOSECONDS));
    long check = Math.min(TimeUnit.MILLISECONDS.toNanos(100), seconds(settings.timeoutSeconds()) / 4);
    timers.add(loop.scheduleAtFixedRate(this::checkTimeouts, check, check, TimeUnit.NANOSECONDS));
  }

  /**
   * Open loop: sends every task whose intended time has come. Connections take turns per call
   * (round-robin by batch, not by task): the tasks due at one moment go out as one write on one
   * connection, which halves the generator's system calls at 100,000 tasks/s. A connection at its
   * cap passes the rest to the next one.
   */
  private void pump() {
    if (!sending) {
      return;
    }
    long now = System.nanoTime();
    long due = schedule.dueCount(now);
    if (nextTask >= due) {
      return;
    }
    int count = connections.length;
    int tried = 0;
    LoadConnection connection = connections[nextConnection];
    while (nextTask < due) {
      long intended = schedule.intendedNanos(nextTask);
      if (!connection.send(intended)) {
        connection.flush();
        if (++tried == count) {
          break; // every connection is at its cap: the schedule falls behind, which shows as latency
        }
        nextConnection = nextConnection + 1 == count ? 0 : nextConnection + 1;
        connection = connections[nextConnection];
        continue;
      }
      recorder.onSent(intended, now);
      nextTask++;
    }
    connection.flush();
    nextConnection = nextConnection + 1 == count ? 0 : nextConnection + 1;
  }

  private void startWindow() {
    recorder.startWindow(System.nanoTime());
    loopCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    processCpuStart = processCpuTime();
  }

  private void endWindow() {
    long now = System.nanoTime();
    recorder.endWindow(now);
    loopCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - loopCpuStart;
    processCpuNanos = processCpuTime() - processCpuStart;
    sending = false;
    drainDeadlineNanos = now + seconds(settings.timeoutSeconds());
    windowEnded = true;
    checkDrained();
  }

  private void checkTimeouts() {
    long now = System.nanoTime();
    for (LoadConnection connection : connections) {
      connection.expire(now - seconds(settings.timeoutSeconds()));
    }
    for (LoadConnection connection : retiring) {
      connection.expire(now - seconds(settings.timeoutSeconds()));
    }
    expireResends(now - seconds(settings.timeoutSeconds()));
    if (!sending) {
      checkDrained();
    }
  }

  private void checkDrained() {
    if (done.isDone()) {
      return;
    }
    int inFlight = resendCount;
    for (LoadConnection connection : connections) {
      inFlight += connection.inFlight();
    }
    for (LoadConnection connection : retiring) {
      inFlight += connection.inFlight();
    }
    if (inFlight == 0 || System.nanoTime() - drainDeadlineNanos >= 0) {
      finish();
    }
  }

  private void finish() {
    sending = false;
    for (ScheduledFuture<?> timer : timers) {
      timer.cancel(false);
    }
    if (connections != null) {
      for (LoadConnection connection : connections) {
        if (connection != null) {
          connection.close();
        }
      }
    }
    retiring.forEach(LoadConnection::close);
    for (; resendCount > 0; resendCount--) {
      recorder.onLost(resends[resendCount - 1], LoadRecorder.CLIENT_TIMEOUT);
    }
    done.complete(null);
  }

  @Override
  public LoadRecorder recorder() {
    return recorder;
  }

  @Override
  public boolean sending() {
    return sending;
  }

  @Override
  public boolean closedLoop() {
    return !settings.openLoop();
  }

  @Override
  public void afterReadBatch() {
    sendResends();
    if (sending) {
      if (schedule != null) {
        pump();
      }
    } else if (windowEnded) {
      // Only once the window has ended: before the run starts, a read of no reply (a TLS 1.3
      // session ticket after the handshake) would otherwise find nothing in flight and end it.
      checkDrained();
    }
  }

  @Override
  public void onUnauthenticated() {
    done.completeExceptionally(
        new LoadGeneratorException(
            "the master at " + settings.host() + ":" + settings.port() + " answered UNAUTHENTICATED: "
                + (token == null ? "it has tenants; give a token with --token-file or DROVER_TOKEN" : "it does not know the token"),
            null));
  }

  @Override
  public void onConnectionLost(LoadConnection connection, Throwable cause) {
    if (connection.goneAway()) {
      retiring.remove(connection);
      return; // answered everything, or lost after its GOAWAY: its tasks were handed back
    }
    replace(connection);
  }

  private static long seconds(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static long processCpuTime() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
