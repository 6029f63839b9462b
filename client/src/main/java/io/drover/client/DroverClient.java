package io.drover.client;

import static java.util.Objects.requireNonNull;

import io.drover.client.internal.ClientConnection;
import io.drover.client.internal.ConnectionFollower;
import io.drover.client.internal.CurrentTrace;
import io.drover.client.internal.InFlightLimit;
import io.drover.client.internal.JobTask;
import io.drover.client.internal.PendingTask;
import io.drover.client.internal.PingTask;
import io.drover.client.internal.ResultTask;
import io.drover.client.internal.TaskTypes;
import io.drover.client.internal.Transports;
import io.drover.protocol.HumanUnits;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.wire.ProtoWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An asynchronous client of a Drover master: one TCP connection on which many tasks are in flight
 * at once, their results matched to them by request id.
 *
 * <p>Every method is thread-safe. Futures complete on the connection's event loop thread, so
 * callbacks attached with {@code thenApply}/{@code whenComplete} run there: keep them short and
 * never block in them (use the {@code ...Async} variants for slow work). A task submitted from such
 * a callback goes straight into the batch being written, without a queue.
 *
 * <p>A task's future completes with its result, or exceptionally with a {@link
 * DroverTaskException} (the master's status, or {@link TaskStatus#DEADLINE_EXCEEDED} when the
 * timeout passed first), a {@link DroverConnectionException} (the connection closed or the client
 * was closed; the task may or may not have run) or a {@link DroverBackpressureException} (the
 * task was not sent: see below). Cancelling a future forgets the task; the master may still run
 * it.
 *
 * <p>The client follows its master: on a GOAWAY (the master is stopping or being upgraded) it
 * sends new requests on a new connection to the same address, and sends there again those the old
 * connection refused after the GOAWAY, while the old one delivers the answers it still owes. When
 * a connection is lost without a GOAWAY, it reconnects with backoff ({@link
 * DroverClientBuilder#reconnectBackoff}, within {@link DroverClientBuilder#reconnectTimeout}) and
 * sends the tasks that were in flight again, within their timeouts, except {@code no_retry} ones
 * (and jobs whose results had begun streaming), which fail with a {@link
 * DroverConnectionException} saying so. The futures are the same throughout. Because a task may
 * be sent again, its payload must not change until its future completes.
 *
 * <p>Backpressure: at most {@link DroverClientBuilder#maxInFlight(int)} requests are in flight. At
 * the limit, {@code submit}, {@code submitJob} and {@code ping} block the calling thread until one
 * is answered, up to {@link DroverClientBuilder#maxBlock(Duration)}, then return a future failed
 * with a {@link DroverBackpressureException}; called from a callback on the event loop they fail
 * that way at once, never blocking it.
 */
public final class DroverClient implements AutoCloseable {
  private static final long CLOSE_WAIT_MILLIS = 2_000;
  private static final long DEADLINE_MARGIN_MILLIS = 5_000;

  private final String remote;
  private final Channel channel;
  private final ConnectionFollower connections;
  private final EventLoopGroup ownGroup;
  private final long defaultTimeoutNanos;
  private final TaskTypes taskTypes = new TaskTypes();
  private final AtomicBoolean closed = new AtomicBoolean();

  private DroverClient(
      String remote,
      Channel channel,
      ConnectionFollower connections,
      EventLoopGroup ownGroup,
      DroverClientBuilder config) {
    this.remote = remote;
    this.channel = channel;
    this.connections = connections;
    this.ownGroup = ownGroup;
    this.defaultTimeoutNanos = saturatedNanos(config.defaultTimeout);
  }

  /**
   * Connects to the master at {@code host:port} with default settings.
   *
   * @throws DroverConnectionException when the master cannot be reached
   */
  public static DroverClient connect(String host, int port) {
    return builder().host(host).port(port).build();
  }

  /**
   * A builder with default settings: {@code 127.0.0.1:7070}, a 30-second task timeout, at most
   * 10,000 requests in flight.
   */
  public static DroverClientBuilder builder() {
    return new DroverClientBuilder();
  }

  static DroverClient connect(DroverClientBuilder config) {
    String remote = config.host + ':' + config.port;
    EventLoopGroup ownGroup =
        config.eventLoops == null ? Transports.newGroup(1) : null;
    EventLoopGroup group = ownGroup != null ? ownGroup : config.eventLoops.group();
    EventLoop loop = group.next();
    InFlightLimit limit =
        new InFlightLimit(config.maxInFlight, saturatedNanos(config.maxBlock), group);
    int maxFrameBytes = config.maxFrameBytes;
    io.drover.client.internal.ClientTls tls;
    try {
      tls = config.tls == null ? null : io.drover.client.internal.ClientTls.of(config.tls, config.connectTimeout.toMillis());
    } catch (DroverConnectionException e) {
      shutdown(ownGroup);
      throw e;
    }
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(Transports.socketChannelType(group))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout.toMillis())
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024));
    // The connector's connections tell the follower, which needs the connector to exist first.
    java.util.concurrent.atomic.AtomicReference<ConnectionFollower> follower = new java.util.concurrent.atomic.AtomicReference<>();
    ConnectionFollower.Connector connector =
        c ->
            bootstrap
                .clone()
                .handler(
                    new ChannelInitializer<Channel>() {
                      @Override
                      protected void initChannel(Channel ch) {
                        // TLS first, so the frames are the same inside; without it a probe tells a
                        // master that requires TLS from one that fails.
                        ch.pipeline()
                            .addLast(
                                tls != null
                                    ? tls.newHandler(ch.alloc(), config.host, config.port)
                                    : new io.drover.client.internal.PlaintextProbe(remote, () -> follower.get().answeredInPlaintext()))
                            .addLast(new FrameDecoder(maxFrameBytes));
                        if (config.token != null) {
                          ch.pipeline().addLast(new io.drover.client.internal.AuthHandshake(config.token));
                        }
                        ch.pipeline().addLast(c);
                      }
                    })
                .connect(config.host, config.port);
    ConnectionFollower connections =
        new ConnectionFollower(
            remote,
            loop,
            maxFrameBytes,
            limit,
            config.maxOutstanding,
            connector,
            saturatedNanos(config.reconnectBackoff),
            saturatedNanos(config.reconnectTimeout));
    follower.set(connections);
    ClientConnection connection = connections.newConnection();
    ChannelFuture connected;
    try {
      connected = connector.connect(connection).awaitUninterruptibly();
    } catch (RuntimeException e) {
      shutdown(ownGroup);
      throw new DroverConnectionException("cannot connect to the Drover master at " + remote, e);
    }
    if (!connected.isSuccess()) {
      shutdown(ownGroup);
      Throwable cause = connected.cause();
      throw new DroverConnectionException(
          "cannot connect to the Drover master at " + remote + ": " + whyNotConnected(cause, config), cause);
    }
    if (tls != null) {
      io.netty.util.concurrent.Future<Channel> handshake =
          connected.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class).handshakeFuture().awaitUninterruptibly();
      if (!handshake.isSuccess()) {
        connected.channel().close().awaitUninterruptibly();
        shutdown(ownGroup);
        throw new DroverConnectionException(
            "cannot connect to the Drover master at " + remote + ": "
                + io.drover.client.internal.ClientTls.handshakeFailure(remote, handshake.cause()),
            handshake.cause());
      }
    }
    if (config.token != null) {
      io.netty.util.concurrent.Promise<String> auth = io.drover.client.internal.AuthHandshake.result(connected.channel());
      if (!auth.awaitUninterruptibly(config.connectTimeout.toMillis())) {
        auth.tryFailure(
            new DroverConnectionException(
                "the Drover master at " + remote + " did not answer the client's token within "
                    + HumanUnits.duration(config.connectTimeout) + " (connectTimeout)"));
      }
      if (!auth.isSuccess()) {
        connected.channel().close().awaitUninterruptibly();
        shutdown(ownGroup);
        throw auth.cause() instanceof DroverConnectionException e
            ? e
            : new DroverConnectionException("cannot authenticate to the Drover master at " + remote, auth.cause());
      }
    }
    connections.first(connection);
    return new DroverClient(remote, connected.channel(), connections, ownGroup, config);
  }

  /** Why a connection attempt failed, in the words a user would look for. */
  private static String whyNotConnected(Throwable cause, DroverClientBuilder config) {
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      return "no answer within " + HumanUnits.duration(config.connectTimeout) + " (connectTimeout)";
    }
    if (cause instanceof java.net.ConnectException
        && String.valueOf(cause.getMessage()).contains("Connection refused")) {
      return "nothing is listening there (connection refused); is the master running on that port?";
    }
    if (cause instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    return String.valueOf(cause.getMessage());
  }

  /**
   * Submits a task with the default timeout.
   *
   * @param type the task type, as the workers' handlers name it (1-255 UTF-8 bytes)
   * @param payload the task's input; copied when the request is encoded (again if it is sent
   *     again on a new connection), so it must not change until the future completes
   * @return the task's result
   */
  public CompletableFuture<byte[]> submit(String type, byte[] payload) {
    byte[] typeBytes = taskTypes.utf8(requireNonNull(type, "type"));
    requireNonNull(payload, "payload");
    return sendTraced(new ResultTask(connections.current(), typeBytes, payload, defaultTimeoutNanos));
  }

  /**
   * Submits a task that fails with {@link TaskStatus#DEADLINE_EXCEEDED} if its result has not
   * arrived within {@code timeout} of being written to the connection (at once, unless {@link
   * DroverClientBuilder#maxOutstanding(int)} requests are unanswered and it waits in the client
   * for room: its clock does not run there); a result arriving later is dropped.
   *
   * @param timeout greater than zero
   * @see #submit(String, byte[])
   */
  public CompletableFuture<byte[]> submit(String type, byte[] payload, Duration timeout) {
    long timeoutNanos = checkTimeout(timeout);
    byte[] typeBytes = taskTypes.utf8(requireNonNull(type, "type"));
    requireNonNull(payload, "payload");
    return sendTraced(new ResultTask(connections.current(), typeBytes, payload, timeoutNanos));
  }

  /**
   * Submits a task with per-task options (timeout, deadline, priority, routing key, no-retry).
   *
   * @see #submit(String, byte[])
   */
  public CompletableFuture<byte[]> submit(String type, byte[] payload, TaskOptions options) {
    requireNonNull(options, "options");
    long timeoutNanos = timeoutNanos(options);
    byte[] typeBytes = taskTypes.utf8(requireNonNull(type, "type"));
    requireNonNull(payload, "payload");
    return sendTraced(withOptions(new ResultTask(connections.current(), typeBytes, payload, timeoutNanos), options));
  }

  /**
   * Submits a task whose payload is {@code payload}'s remaining bytes, heap or direct, with the
   * default timeout. The buffer's position and limit are left as they are.
   *
   * @param payload copied when the request is encoded (again if it is sent again on a new
   *     connection), so its bytes must not change until the future completes
   * @see #submit(String, byte[])
   */
  public CompletableFuture<byte[]> submit(String type, ByteBuffer payload) {
    return submit(type, payload, TaskOptions.defaults());
  }

  /**
   * Submits a task whose payload is {@code payload}'s remaining bytes, with per-task options.
   *
   * @see #submit(String, ByteBuffer)
   * @see #submit(String, byte[], TaskOptions)
   */
  public CompletableFuture<byte[]> submit(String type, ByteBuffer payload, TaskOptions options) {
    requireNonNull(options, "options");
    long timeoutNanos = timeoutNanos(options);
    byte[] typeBytes = taskTypes.utf8(requireNonNull(type, "type"));
    ByteBuffer view = requireNonNull(payload, "payload").duplicate();
    return sendTraced(withOptions(new ResultTask(connections.current(), typeBytes, view, timeoutNanos), options));
  }

  private static <T extends PendingTask<?>> T withOptions(T task, TaskOptions options) {
    if (options.noRetry()) {
      task.markNoRetry();
    }
    task.priority(options.priority().wireValue());
    if (options.deadline() != null) {
      task.deadlineMs((int) options.deadline().toMillis());
    }
    if (options.routingKey() != null) {
      task.routingKey(options.routingKey().getBytes(StandardCharsets.UTF_8));
    }
    if (options.traceparent() != null) {
      task.traceparent(options.traceparent().getBytes(StandardCharsets.US_ASCII));
    }
    return task;
  }

  /**
   * Submits a scatter/gather job with the default timeout; see {@link #submitJob(Job, TaskOptions,
   * SubtaskListener)}.
   */
  public CompletableFuture<JobOutcome> submitJob(Job job) {
    return submitJob(job, TaskOptions.defaults(), null);
  }

  /** Submits a job with options; see {@link #submitJob(Job, TaskOptions, SubtaskListener)}. */
  public CompletableFuture<JobOutcome> submitJob(Job job, TaskOptions options) {
    return submitJob(job, options, null);
  }

  /**
   * Submits a scatter/gather job: the master runs its subtasks across its workers and answers
   * once every subtask has an outcome (and the reduce task, if any, has run).
   *
   * <p>The future completes normally with a {@link JobOutcome} whenever the job ran, even when
   * subtasks failed, its deadline passed ({@link TaskOptions#withDeadline}: subtasks still
   * running then are answered {@code DEADLINE_EXCEEDED}, the others keep their results) or it was
   * cancelled. It fails with a {@link DroverTaskException} when the master refused the job
   * ({@code OVERLOADED}, {@code INVALID_REQUEST}, {@code UNKNOWN_TASK_TYPE} for the reduce type,
   * {@code SHUTTING_DOWN}) or the client-side timeout passed first. Cancelling the future cancels
   * every subtask on the master. Towards {@link DroverClientBuilder#maxInFlight(int)} a job counts
   * as one request, however many subtasks it has.
   *
   * @param options timeout, deadline (the whole job's), priority and no-retry apply to every
   *     subtask; a routing key is refused (set one per subtask with {@link Job.Builder#add(String,
   *     byte[], String)})
   * @param listener when not null, the master streams each subtask's outcome as it completes and
   *     the listener gets it at once, on the connection's event loop
   */
  public CompletableFuture<JobOutcome> submitJob(Job job, TaskOptions options, SubtaskListener listener) {
    requireNonNull(job, "job");
    requireNonNull(options, "options");
    if (options.routingKey() != null) {
      throw new IllegalArgumentException("a job's routing keys go on its subtasks (Job.Builder.add(type, payload, key))");
    }
    long timeoutNanos = timeoutNanos(options);
    byte[] defaultType =
        job.defaultType() == null ? ProtoWire.EMPTY : taskTypes.utf8(job.defaultType());
    JobTask task =
        new JobTask(
            connections.current(), defaultType, job.encoded(listener != null), job.size(), listener, timeoutNanos);
    return sendTraced(withOptions(task, options));
  }

  /**
   * Checks that the master answers, within the default timeout.
   *
   * @return a future completed with {@code null} when the master answers
   */
  public CompletableFuture<Void> ping() {
    return send(new PingTask(connections.current(), defaultTimeoutNanos));
  }

  private <T> CompletableFuture<T> send(PendingTask<T> task) {
    return task.owner().submit(task);
  }

  /**
   * Sends a task or job with the current OpenTelemetry span's traceparent, unless its options
   * gave one (or OpenTelemetry is absent or has no valid span here).
   */
  private <T> CompletableFuture<T> sendTraced(PendingTask<T> task) {
    if (!task.hasTraceparent()) {
      String current = CurrentTrace.traceparent();
      if (current != null) {
        task.traceparent(current.getBytes(StandardCharsets.US_ASCII));
      }
    }
    return task.owner().submit(task);
  }

  /**
   * Requests (tasks, jobs, pings) submitted whose futures have not completed yet; at most {@link
   * DroverClientBuilder#maxInFlight(int)}.
   */
  public int inFlight() {
    return connections.current().inFlight();
  }

  /** Whether the connection is open and tasks can be submitted. */
  public boolean isOpen() {
    return !closed.get() && connections.current().isOpen();
  }

  /** Connections made after the first (GOAWAYs followed, lost connections replaced). */
  public long reconnects() {
    return connections.reconnects();
  }

  /** The master's address as configured, {@code host:port}. */
  public String remote() {
    return remote;
  }

  /**
   * Fails every task in flight with a {@link DroverConnectionException} "client closed", closes
   * the connection and shuts down the client's own event loop threads (not {@link
   * ClientEventLoops} given to the builder), waiting up to a few seconds. Idempotent. Called from a future's callback (that is, on
   * the event loop) it does not wait.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    connections.close(new DroverConnectionException("client closed"));
    boolean onLoop = channel.eventLoop().inEventLoop();
    if (!onLoop) {
      channel.closeFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }
    if (ownGroup != null) {
      var terminated = ownGroup.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      if (!onLoop) {
        terminated.awaitUninterruptibly(CLOSE_WAIT_MILLIS * 2);
      }
    }
  }

  private static void shutdown(EventLoopGroup ownGroup) {
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }
  }

  /**
   * The client-side timeout for a request with these options: the one they give, else the default
   * one, but never shorter than the master-side deadline plus {@value #DEADLINE_MARGIN_MILLIS} ms,
   * so that the master's answer at the deadline (a job's partial results above all) is not lost to
   * an earlier local timeout.
   */
  private long timeoutNanos(TaskOptions options) {
    if (options.timeout() != null) {
      return checkTimeout(options.timeout());
    }
    if (options.deadline() == null) {
      return defaultTimeoutNanos;
    }
    long deadline = saturatedNanos(options.deadline().plusMillis(DEADLINE_MARGIN_MILLIS));
    return Math.max(defaultTimeoutNanos, deadline);
  }

  private static long checkTimeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + HumanUnits.duration(timeout) + " (expected: > 0)");
    }
    return saturatedNanos(timeout);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return "DroverClient{" + remote + ", inFlight=" + inFlight() + '}';
  }
}
