package io.drover.master.internal.upgrade;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new master's side of an upgrade ({@link HandoverProtocol}): receives the listening sockets
 * of the master it replaces, says when its workers are ready, and waits for the word to accept.
 */
public final class InheritedSockets implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InheritedSockets.class);
  /** How long the old master may take to send the sockets after the connection. */
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);

  private final Channel channel;
  private final int clientFd;
  private final int adminFd;
  private final long oldMasterPid;
  private final CompletableFuture<String> answer;

  private InheritedSockets(Channel channel, int clientFd, int adminFd, long oldMasterPid, CompletableFuture<String> answer) {
    this.channel = channel;
    this.clientFd = clientFd;
    this.adminFd = adminFd;
    this.oldMasterPid = oldMasterPid;
    this.answer = answer;
  }

  /**
   * The sockets of the master that started this one to replace it, when the environment says so
   * ({@code DROVER_HANDOVER_SOCKET}); null for a master started by itself.
   *
   * @throws IOException when the hand-over socket is named but the sockets cannot be received
   */
  public static InheritedSockets fromEnvironment(EventLoopGroup group) throws IOException {
    String path = System.getenv(HandoverProtocol.ENVIRONMENT);
    if (path == null || path.isEmpty()) {
      return null;
    }
    if (!io.netty.channel.epoll.Epoll.isAvailable()) {
      throw new IOException("started to take over a master's sockets (" + HandoverProtocol.ENVIRONMENT + "), which needs the epoll transport");
    }
    return receive(Path.of(path), group);
  }

  static InheritedSockets receive(Path socket, EventLoopGroup group) throws IOException {
    List<FileDescriptor> received = new ArrayList<>(2);
    CompletableFuture<Void> bothReceived = new CompletableFuture<>();
    CompletableFuture<String> answer = new CompletableFuture<>();
    Channel channel;
    try {
      channel =
          new Bootstrap()
              .group(group)
              .channel(EpollDomainSocketChannel.class)
              .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      if (msg instanceof FileDescriptor fd && received.size() < 2) {
                        received.add(fd);
                        if (received.size() == 2) {
                          // From now on the old master writes lines (GO or ABORT), after our READY.
                          ((EpollDomainSocketChannel) ctx.channel()).config().setReadMode(DomainSocketReadMode.BYTES);
                          ctx.pipeline()
                              .addLast(new LineBasedFrameDecoder(HandoverProtocol.MAX_LINE))
                              .addLast(new StringDecoder(StandardCharsets.UTF_8))
                              .addLast(new AnswerHandler(answer));
                          bothReceived.complete(null);
                        }
                      } else {
                        ctx.fireChannelRead(msg);
                      }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                      bothReceived.completeExceptionally(new IOException("the old master closed the hand-over before sending its sockets"));
                      ctx.fireChannelInactive();
                    }
                  })
              .connect(new DomainSocketAddress(socket.toFile()))
              .sync()
              .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to the hand-over socket " + socket, e);
    } catch (Exception e) {
      throw new IOException("cannot connect to the hand-over socket " + socket + ": " + e.getMessage(), e);
    }
    try {
      bothReceived.get(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      channel.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while receiving the listening sockets", e);
    } catch (ExecutionException | TimeoutException e) {
      channel.close();
      throw new IOException(
          "no listening sockets from the old master over " + socket + ": "
              + (e instanceof TimeoutException ? "none within " + RECEIVE_TIMEOUT.toSeconds() + " s" : e.getCause().getMessage()),
          e);
    }
    long oldPid = ((EpollDomainSocketChannel) channel).peerCredentials().pid();
    log.info("upgrade: received the listening sockets of master pid {} (fds {} and {})", oldPid, received.get(0).intValue(), received.get(1).intValue());
    return new InheritedSockets(channel, received.get(0).intValue(), received.get(1).intValue(), oldPid, answer);
  }

  /** The listening client socket's file descriptor. */
  public int clientFd() {
    return clientFd;
  }

  /** The listening admin socket's file descriptor. */
  public int adminFd() {
    return adminFd;
  }

  /** The pid of the master being replaced. */
  public long oldMasterPid() {
    return oldMasterPid;
  }

  /**
   * Tells the old master that this one is ready and waits for its answer: returns once this one
   * may accept (GO; or the old master is gone, when nobody else is left to serve).
   *
   * @throws IOException when the old master called the upgrade off (ABORT), with its reason
   * @throws InterruptedException if interrupted while waiting
   */
  public void readyThenAwaitGo() throws IOException, InterruptedException {
    channel.writeAndFlush(Unpooled.copiedBuffer(HandoverProtocol.line(HandoverProtocol.READY, null), StandardCharsets.UTF_8));
    String line;
    try {
      line = answer.get();
    } catch (ExecutionException e) {
      log.warn("upgrade: the old master (pid {}) is gone without a word ({}); serving anyway", oldMasterPid, e.getCause().getMessage());
      return;
    }
    if (line.startsWith(HandoverProtocol.ABORT)) {
      throw new IOException("the old master (pid " + oldMasterPid + ") called the upgrade off:" + line.substring(HandoverProtocol.ABORT.length()));
    }
  }

  /** Tells the old master this one cannot start, and why (it keeps serving). */
  public void failed(String reason) {
    if (channel.isActive()) {
      channel
          .writeAndFlush(Unpooled.copiedBuffer(HandoverProtocol.line(HandoverProtocol.FAILED, reason), StandardCharsets.UTF_8))
          .awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
  }

  /** Closes the hand-over connection (the sockets stay this process's). */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
  }

  /** Completes with the old master's first line (GO or ABORT ...), or fails when it closes first. */
  private static final class AnswerHandler extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<String> answer;

    AnswerHandler(CompletableFuture<String> answer) {
      this.answer = answer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      answer.complete((String) msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      answer.completeExceptionally(new IOException("hand-over connection closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      answer.completeExceptionally(cause);
      ctx.close();
    }
  }
}
