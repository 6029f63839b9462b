package io.drover.master.internal.upgrade;

import io.drover.master.internal.admin.AdminServer;
import io.drover.master.internal.transport.MasterServer;
import io.drover.protocol.HumanUnits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The old master's side of an upgrade ({@link HandoverProtocol}): starts the new master with this
 * process's command line (another jar, if asked), passes it the listening sockets, and once it is
 * ready stops accepting and hands over; if it is not ready in time, or fails, or exits, stops it
 * and serves on as if nothing had happened. One upgrade at a time; its steps run on a thread of
 * its own ({@code drover-upgrade}), never on the dispatch loop.
 */
public final class MasterUpgrade {
  private static final Logger log = LoggerFactory.getLogger(MasterUpgrade.class);
  /** How long a new master that is called off may take to stop before it is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final ProcessCommandLine commandLine;
  private final Path runtimeDirectory;
  private final EventLoopGroup group;
  private final MasterServer server;
  private final AdminServer admin;
  private final Runnable handOver;
  private final AtomicBoolean inProgress = new AtomicBoolean();
  /** The last upgrade's progress or outcome, for status; null before any. */
  private volatile String status;
  /** The upgrade in progress, or null. */
  private volatile Attempt current;

  /**
   * @param commandLine this process's command line, which the new master runs again
   * @param runtimeDirectory this master's runtime directory (0700), where the hand-over socket is
   * @param group an epoll event loop group for the hand-over socket
   * @param server this master's client and worker sockets
   * @param admin this master's admin endpoint, through which upgrades are asked for
   * @param handOver what the old master does once the new one accepts: tell its clients to move,
   *     finish its tasks and stop; run on a thread of its own
   */
  public MasterUpgrade(
      ProcessCommandLine commandLine,
      Path runtimeDirectory,
      EventLoopGroup group,
      MasterServer server,
      AdminServer admin,
      Runnable handOver) {
    this.commandLine = commandLine;
    this.runtimeDirectory = runtimeDirectory;
    this.group = group;
    this.server = server;
    this.admin = admin;
    this.handOver = handOver;
  }

  /** The last upgrade's progress or outcome ({@code "upgrading: ..."}, {@code "upgrade failed: ..."}); null before any. */
  public String status() {
    return status;
  }

  /**
   * Starts the upgrade; completes with one line once the new master runs, or fails with {@link
   * UpgradeException} saying why nothing changed. What follows is {@link #status()}: {@code
   * "upgrade failed: ..."} while this master serves on, or this master stops once the new one
   * accepts.
   *
   * @param jar the new master's jar, or null for this master's own command line unchanged
   * @param timeout how long the new master may take to become ready
   */
  public CompletableFuture<String> start(Path jar, Duration timeout) {
    if (!inProgress.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new UpgradeException(UpgradeException.Kind.CONFLICT, "an upgrade is in progress already"));
    }
    ProcessCommandLine command;
    try {
      command = command(jar);
    } catch (UpgradeException e) {
      inProgress.set(false);
      return CompletableFuture.failedFuture(e);
    }
    Attempt attempt = new Attempt(command, timeout);
    current = attempt;
    attempt.begin();
    return attempt.begun;
  }

  /**
   * Calls off the upgrade in progress, if any, before it hands over (the master is stopping): its
   * new master is stopped; returns once it is gone (or after the kill).
   */
  public void callOff(String reason) {
    Attempt a = current;
    if (a == null) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      a.thread.execute(
          () -> {
            a.fail(UpgradeException.Kind.CONFLICT, reason);
            done.complete(null);
          });
    } catch (RejectedExecutionException e) {
      return; // over already
    }
    done.orTimeout(STOP_GRACE.toMillis() * 3, TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
  }

  private ProcessCommandLine command(Path jar) throws UpgradeException {
    int clientFd = server.clientListenerFd();
    if (clientFd < 0 || admin.listenerFd() < 0) {
      throw new UpgradeException(UpgradeException.Kind.CONFLICT, "upgrades pass the listening sockets with the epoll transport, which this master does not use");
    }
    if (jar == null) {
      return commandLine;
    }
    if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
      throw new UpgradeException(UpgradeException.Kind.BAD_REQUEST, "jar: " + jar + " is not a readable file");
    }
    try {
      return commandLine.withJar(jar.toAbsolutePath());
    } catch (IllegalStateException e) {
      throw new UpgradeException(UpgradeException.Kind.CONFLICT, e.getMessage());
    }
  }

  /** One upgrade: its state is owned by its own thread. */
  private final class Attempt {
    /** Completes once the new master runs (with one line), or fails if it could not be started. */
    final CompletableFuture<String> begun = new CompletableFuture<>();
    private final ProcessCommandLine command;
    private final Duration timeout;
    private final ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "drover-upgrade");
              t.setDaemon(true);
              return t;
            });
    private final Path socket = runtimeDirectory.resolve("handover.sock");
    private Channel listener;
    private Channel connection;
    private Process process;
    private ScheduledFuture<?> deadline;
    private boolean finished;

    Attempt(ProcessCommandLine command, Duration timeout) {
      this.command = command;
      this.timeout = timeout;
    }

    void begin() {
      thread.execute(
          () -> {
            try {
              Files.deleteIfExists(socket);
              listener = listen();
              process = spawn();
            } catch (IOException | InterruptedException | RuntimeException e) {
              if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
              }
              fail(UpgradeException.Kind.FAILED, "cannot start the new master: " + e.getMessage());
              return;
            }
            String line =
                "upgrading: master pid " + ProcessHandle.current().pid() + " started pid " + process.pid() + ", which has "
                    + HumanUnits.duration(timeout) + " to be ready";
            status = line;
            log.info("{}: {}", line, command);
            begun.complete(line);
            deadline = thread.schedule(() -> fail(UpgradeException.Kind.FAILED, "the new master (pid " + process.pid() + ") was not ready within " + HumanUnits.duration(timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
            process.onExit().thenRunAsync(this::exited, thread);
          });
    }

    private Channel listen() throws InterruptedException {
      return new ServerBootstrap()
          .group(group)
          .channel(EpollServerDomainSocketChannel.class)
          .childHandler(
              new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                  ch.pipeline()
                      .addLast(new LineBasedFrameDecoder(HandoverProtocol.MAX_LINE))
                      .addLast(new StringDecoder(StandardCharsets.UTF_8))
                      .addLast(new SuccessorHandler());
                }
              })
          .bind(new DomainSocketAddress(socket.toFile()))
          .sync()
          .channel();
    }

    private Process spawn() throws IOException {
      ProcessBuilder pb = new ProcessBuilder(command.arguments());
      pb.environment().put(HandoverProtocol.ENVIRONMENT, socket.toString());
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      // The new master logs where this one does (a terminal, a file, journald): it outlives this
      // process, so nothing here may stand between it and its output.
      pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      return pb.start();
    }

    /** On the upgrade thread: a connection to the hand-over socket is established. */
    private void connected(Channel ch) {
      long peer;
      try {
        peer = ((EpollDomainSocketChannel) ch).peerCredentials().pid();
      } catch (IOException e) {
        log.warn("upgrade: hand-over connection refused: its peer's credentials cannot be read ({})", e.toString());
        ch.close();
        return;
      }
      if (finished || process == null || peer != process.pid() || connection != null) {
        log.warn("upgrade: hand-over connection from pid {} refused (expected the new master, pid {})", peer, process == null ? "?" : process.pid());
        ch.close();
        return;
      }
      connection = ch;
      ch.write(new FileDescriptor(server.clientListenerFd()));
      ch.writeAndFlush(new FileDescriptor(admin.listenerFd()));
    }

    /** On the upgrade thread: a line from the new master. */
    private void said(Channel ch, String line) {
      if (ch != connection || finished) {
        return;
      }
      if (line.equals(HandoverProtocol.READY)) {
        handOver();
      } else if (line.startsWith(HandoverProtocol.FAILED)) {
        fail(UpgradeException.Kind.FAILED, "the new master (pid " + process.pid() + ") cannot start:" + line.substring(HandoverProtocol.FAILED.length()));
      } else {
        fail(UpgradeException.Kind.FAILED, "the new master (pid " + process.pid() + ") said something unexpected: " + line);
      }
    }

    /** On the upgrade thread: the hand-over connection closed. */
    private void disconnected(Channel ch) {
      if (ch == connection && !finished) {
        fail(UpgradeException.Kind.FAILED, "the new master (pid " + process.pid() + ") closed the hand-over before it was ready");
      }
    }

    private void exited() {
      if (!finished) {
        int code = process.exitValue();
        fail(
            UpgradeException.Kind.FAILED,
            "the new master (pid " + process.pid() + ") exited before it was ready ("
                + (code > 128 ? "killed by signal " + (code - 128) : "exit code " + code) + "; its log is beside this one's)");
      }
    }

    private void handOver() {
      finished = true;
      deadline.cancel(false);
      // Stop accepting first: the kernel's accept queue is the new master's from now on.
      server.stopAcceptingClients();
      admin.stopAccepting();
      connection
          .writeAndFlush(Unpooled.copiedBuffer(HandoverProtocol.line(HandoverProtocol.GO, null), StandardCharsets.UTF_8))
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
      closeSocket();
      String line = "upgraded: master pid " + ProcessHandle.current().pid() + " handed its sockets to pid " + process.pid() + ", which serves; pid "
          + ProcessHandle.current().pid() + " finishes its tasks and exits";
      log.info("{}", line);
      status = line;
      current = null;
      thread.shutdown();
      Thread stop = new Thread(handOver, "drover-handover");
      stop.start();
    }

    private void fail(UpgradeException.Kind kind, String reason) {
      if (finished) {
        return;
      }
      finished = true;
      if (deadline != null) {
        deadline.cancel(false);
      }
      log.error("upgrade failed, this master serves on: {}", reason);
      if (connection != null && connection.isActive()) {
        connection
            .writeAndFlush(Unpooled.copiedBuffer(HandoverProtocol.line(HandoverProtocol.ABORT, reason), StandardCharsets.UTF_8))
            .awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
      closeSocket();
      stopNewMaster();
      status = "upgrade failed: " + reason + "; master pid " + ProcessHandle.current().pid() + " serves on";
      current = null;
      inProgress.set(false);
      begun.completeExceptionally(new UpgradeException(kind, reason));
      thread.shutdown();
    }

    /** Stops a new master that was called off: SIGTERM (it stops its own workers), then SIGKILL. */
    private void stopNewMaster() {
      if (process == null || !process.isAlive()) {
        return;
      }
      process.destroy();
      try {
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("upgrade: the new master (pid {}) did not stop within {}; killing it", process.pid(), HumanUnits.duration(STOP_GRACE));
          process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void closeSocket() {
      if (connection != null) {
        connection.close();
      }
      if (listener != null) {
        listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        log.debug("cannot delete {}: {}", socket, e.toString());
      }
    }

    /** Runs {@code step} on the upgrade thread, unless the upgrade is over (then nothing is left to do). */
    private void onThread(Runnable step) {
      try {
        thread.execute(step);
      } catch (RejectedExecutionException e) {
        log.debug("upgrade over; ignored a late hand-over event");
      }
    }

    /** Hands the hand-over connection's events to the upgrade thread. */
    private final class SuccessorHandler extends ChannelInboundHandlerAdapter {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        onThread(() -> connected(ctx.channel()));
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String line = (String) msg;
        onThread(() -> said(ctx.channel(), line));
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        onThread(() -> disconnected(ctx.channel()));
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("upgrade: hand-over connection: {}", cause.toString());
        ctx.close();
      }
    }
  }
}
