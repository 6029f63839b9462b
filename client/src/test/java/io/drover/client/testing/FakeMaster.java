package io.drover.client.testing;

import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.frame.FrameTooLargeException;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stand-in for the Drover master, started around each test: a TCP server on 127.0.0.1 that
 * answers by task type.
 *
 * <ul>
 *   <li>{@code echo}: OK with the payload; answers within one read batch go out in reverse order,
 *       so the client must match them by id;
 *   <li>{@code fail}: HANDLER_ERROR "boom" after 2 attempts;
 *   <li>{@code odd}: status number 42, unknown to the client;
 *   <li>{@code never}: no answer;
 *   <li>{@code hold}: no answer until {@link #answerHeld()};
 *   <li>{@code crossing}: on the first connection, a GOAWAY and then SHUTTING_DOWN for the request
 *       (a request that crossed the GOAWAY on the wire); on later connections, as {@code echo};
 *   <li>{@code last}: the same, after the fake master stopped listening (a master stopping for
 *       good);
 *   <li>PING: OK.
 * </ul>
 *
 * A frame above {@code maxFrameBytes} gets a connection-level FRAME_TOO_LARGE and a close.
 *
 * <p>It runs on epoll, as the master does: closing an epoll server channel closes its socket at
 * once, while NIO keeps a selector-registered socket listening until the loop's next select, and
 * a client that reconnected in that window would find a kernel-accepted connection that is reset
 * a moment later (which made {@code last} race: the "stopped listening" was not yet true).
 */
public final class FakeMaster implements BeforeEachCallback, AfterEachCallback {
  private final int maxFrameBytes;
  private final AtomicInteger received = new AtomicInteger();
  private final Queue<Held> held = new ConcurrentLinkedQueue<>();
  private final AtomicInteger heldNow = new AtomicInteger();
  private final AtomicInteger peakHeld = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private EventLoopGroup group;
  private ChannelGroup connections;
  private Channel server;

  private record Held(Channel channel, long requestId) {}

  /** A fake master that accepts frames of up to {@code maxFrameBytes}. */
  public FakeMaster(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws InterruptedException {
    received.set(0);
    held.clear();
    heldNow.set(0);
    peakHeld.set(0);
    accepted.set(0);
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.add(ch);
                    ch.pipeline().addLast(new FrameDecoder(maxFrameBytes), new Handler(accepted.incrementAndGet()));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    server.close().syncUninterruptibly();
    connections.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The port the fake master listens on. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Requests received so far (SUBMIT and PING). */
  public int received() {
    return received.get();
  }

  /** The most {@code hold} tasks that were waiting for {@link #answerHeld()} at once. */
  public int peakHeld() {
    return peakHeld.get();
  }

  /** Client connections open now. */
  public int openConnections() {
    return connections.size();
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Stops listening and closes every client connection: the master is gone for good. */
  public void stop() {
    server.close().syncUninterruptibly();
    connections.close().syncUninterruptibly();
  }

  /** Closes every client connection. */
  public void closeConnections() {
    connections.close().syncUninterruptibly();
  }

  /** Answers the {@code hold} tasks received so far with OK and the body "late". */
  public void answerHeld() {
    Held h;
    while ((h = held.poll()) != null) {
      heldNow.decrementAndGet();
      Held answer = h;
      answer.channel().eventLoop().execute(
          () -> {
            byte[] body = "late".getBytes(StandardCharsets.UTF_8);
            ByteBuf out = answer.channel().alloc().buffer();
            ResponseHeaderCodec.writeFramePrefix(
                out, answer.requestId(), Status.OK_VALUE, null, 0, 0, 1, body.length);
            out.writeBytes(body);
            answer.channel().writeAndFlush(out);
          });
    }
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private final RequestHeaderCodec header = new RequestHeaderCodec();
    private final List<ByteBuf> batch = new ArrayList<>();
    /** 1 for the first connection accepted. */
    private final int number;

    Handler(int number) {
      this.number = number;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        header.decode(frame);
        received.incrementAndGet();
        long id = header.requestId();
        if (header.kind() == RequestHeaderCodec.KIND_PING) {
          batch.add(answer(ctx, id, Status.OK_VALUE, "", null));
          return;
        }
        String type =
            frame.toString(header.taskTypeIndex(), header.taskTypeLength(), StandardCharsets.UTF_8);
        switch (type) {
          case "echo" -> batch.add(answer(ctx, id, Status.OK_VALUE, "", frame));
          case "flags" -> {
            byte[] flags = ("no_retry=" + header.noRetry()).getBytes(StandardCharsets.UTF_8);
            ctx.write(answer(ctx, id, Status.OK_VALUE, "", io.netty.buffer.Unpooled.wrappedBuffer(flags)));
          }
          case "traceparent" -> {
            // Answers the traceparent the request carried, or "none".
            String traceparent =
                header.traceparentLength() == 0
                    ? "none"
                    : frame.toString(header.traceparentIndex(), header.traceparentLength(), StandardCharsets.US_ASCII);
            ctx.write(
                answer(ctx, id, Status.OK_VALUE, "",
                    io.netty.buffer.Unpooled.wrappedBuffer(traceparent.getBytes(StandardCharsets.US_ASCII))));
          }
          case "fail" -> ctx.write(answer(ctx, id, Status.HANDLER_ERROR_VALUE, "boom", null));
          case "odd" -> ctx.write(answer(ctx, id, 42, "strange", null));
          case "hold" -> {
            held.add(new Held(ctx.channel(), id));
            peakHeld.accumulateAndGet(heldNow.incrementAndGet(), Math::max);
          }
          case "never" -> {}
          case "last" -> {
            server.close().syncUninterruptibly();
            ctx.write(answer(ctx, 0, Status.GOING_AWAY_VALUE, "the master is shutting down", null));
            ctx.write(answer(ctx, id, Status.SHUTTING_DOWN_VALUE, "this connection is going away", null));
          }
          case "crossing" -> {
            if (number == 1) {
              ctx.write(answer(ctx, 0, Status.GOING_AWAY_VALUE, "the master is being upgraded", null));
              ctx.write(answer(ctx, id, Status.SHUTTING_DOWN_VALUE, "this connection is going away", null));
            } else {
              batch.add(answer(ctx, id, Status.OK_VALUE, "", frame));
            }
          }
          default -> ctx.write(answer(ctx, id, Status.UNKNOWN_TASK_TYPE_VALUE, type, null));
        }
      } finally {
        frame.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      for (int i = batch.size() - 1; i >= 0; i--) {
        ctx.write(batch.get(i));
      }
      batch.clear();
      ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      batch.forEach(ByteBuf::release);
      batch.clear();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      int status =
          cause instanceof FrameTooLargeException
              ? Status.FRAME_TOO_LARGE_VALUE
              : Status.MALFORMED_FRAME_VALUE;
      ctx.writeAndFlush(answer(ctx, 0, status, cause.getMessage(), null))
          .addListener(ChannelFutureListener.CLOSE);
    }

    private ByteBuf answer(
        ChannelHandlerContext ctx, long id, int status, String message, ByteBuf body) {
      byte[] msg = message.getBytes(StandardCharsets.UTF_8);
      ByteBuf out = ctx.alloc().buffer();
      if (body == null) {
        ResponseHeaderCodec.writeFrame(out, id, status, msg, status == 2 ? 2 : 1);
      } else {
        ResponseHeaderCodec.writeFramePrefix(out, id, status, null, 0, 0, 1, body.readableBytes());
        out.writeBytes(body);
      }
      return out;
    }
  }
}
