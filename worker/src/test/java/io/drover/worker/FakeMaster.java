package io.drover.worker;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.drover.worker.internal.DomainSocketTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plays the master in tests: listens on a Unix domain socket, accepts one worker and records the
 * frames it sends.
 */
@SuppressWarnings("try") // close() may throw InterruptedException; fine in tests
final class FakeMaster implements AutoCloseable {
  /** A decoded worker frame; {@code registration} is set for REGISTER frames. */
  record Event(
      int kind, long taskId, int status, String message, byte[] body, Registration registration) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final EventLoopGroup group;
  private final Channel server;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  /** HEARTBEAT frames, kept apart so tests about tasks see only task traffic. */
  final BlockingQueue<io.drover.protocol.proto.Heartbeat> heartbeats = new LinkedBlockingQueue<>();
  final CompletableFuture<Channel> worker = new CompletableFuture<>();
  final CompletableFuture<Void> workerClosed = new CompletableFuture<>();

  FakeMaster(Path socket, DomainSocketTransport transport) throws InterruptedException {
    this(socket, transport, FrameLimits.DEFAULT_MAX_FRAME_BYTES);
  }

  /** A fake master that, like the real one, refuses frames longer than {@code maxFrameBytes}. */
  FakeMaster(Path socket, DomainSocketTransport transport, int maxFrameBytes)
      throws InterruptedException {
    boolean epoll = transport == DomainSocketTransport.EPOLL;
    group =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> channelClass =
        epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    SocketAddress address =
        epoll ? new DomainSocketAddress(socket.toString()) : UnixDomainSocketAddress.of(socket);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(channelClass)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new FrameDecoder(maxFrameBytes))
                        .addLast(new Recorder());
                    ch.closeFuture().addListener(f -> workerClosed.complete(null));
                    worker.complete(ch);
                  }
                })
            .bind(address)
            .sync()
            .channel();
  }

  private final class Recorder extends ChannelInboundHandlerAdapter {
    private final WorkerEventCodec codec = new WorkerEventCodec();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      ByteBuf frame = (ByteBuf) msg;
      try {
        codec.decode(frame);
        if (codec.kind() == WorkerEventCodec.KIND_HEARTBEAT) {
          heartbeats.add(io.drover.protocol.proto.Heartbeat.parseFrom(ByteBufUtil.getBytes(frame)));
          return;
        }
        String message =
            frame.toString(codec.messageIndex(), codec.messageLength(), StandardCharsets.UTF_8);
        byte[] body = ByteBufUtil.getBytes(frame);
        Registration registration =
            codec.kind() == WorkerEventCodec.KIND_REGISTER ? Registration.parseFrom(body) : null;
        events.add(
            new Event(codec.kind(), codec.taskId(), codec.status(), message, body, registration));
      } finally {
        frame.release();
      }
    }
  }

  /** The next frame the worker sent; fails after 10 seconds. */
  Event next() throws InterruptedException {
    Event e = events.poll(60, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no frame from the worker within 10 s");
    }
    return e;
  }

  /** The worker's REGISTER, which must be its first frame. */
  Registration awaitRegistration() throws InterruptedException {
    Event e = next();
    if (e.kind() != WorkerEventCodec.KIND_REGISTER) {
      throw new AssertionError("expected REGISTER first, got " + e);
    }
    return e.registration();
  }

  Channel workerChannel() throws Exception {
    return worker.get(60, TimeUnit.SECONDS);
  }

  /** Sends one TASK frame. */
  void sendTask(long taskId, String type, byte[] payload) throws Exception {
    Channel ch = workerChannel();
    ByteBuf buf = ch.alloc().buffer();
    writeTask(buf, taskId, type, payload);
    ch.writeAndFlush(buf).sync();
  }

  static void writeTask(ByteBuf buf, long taskId, String type, byte[] payload) {
    writeTask(buf, taskId, type, "", payload);
  }

  /** Writes one TASK frame with a traceparent (none when empty). */
  static void writeTask(ByteBuf buf, long taskId, String type, String traceparent, byte[] payload) {
    WorkerCommandCodec.writeFramePrefix(
        buf,
        WorkerCommandCodec.KIND_TASK,
        taskId,
        type.getBytes(StandardCharsets.UTF_8),
        1,
        traceparent.getBytes(StandardCharsets.US_ASCII),
        payload.length);
    buf.writeBytes(payload);
  }

  /** Sends a pre-built buffer of frames. */
  void send(ByteBuf frames) throws Exception {
    workerChannel().writeAndFlush(frames).sync();
  }

  /** Sends DRAIN. */
  void sendDrain() throws Exception {
    Channel ch = workerChannel();
    ByteBuf buf = ch.alloc().buffer();
    WorkerCommandCodec.writeFramePrefix(
        buf, WorkerCommandCodec.KIND_DRAIN, 0, new byte[0], 0, 0);
    ch.writeAndFlush(buf).sync();
  }

  @Override
  public void close() throws Exception {
    server.close().sync();
    if (worker.isDone()) {
      worker.get().close().sync();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }
}
