package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.RawClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover upgrade} as a process against a real master: the listening sockets pass to the new
 * master (SCM_RIGHTS), so that a client connecting all the while is never refused, and a new master
 * that cannot start leaves the old one serving.
 */
class UpgradeIT {
  /** One client for every request: one per request would leave idle connections to the admin port's limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Process master;
  /** Every process the test saw (masters and workers), stopped at the end if still there. */
  private final List<ProcessHandle> seen = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ProcessHandle p : seen) {
      if (p.isAlive()) {
        p.destroy(); // SIGTERM: a master stops its workers
      }
    }
    for (ProcessHandle p : seen) {
      try {
        p.onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    DroverScript.destroyWithDescendants(master);
  }

  private static JsonNode status(String admin) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP
            .send(HttpRequest.newBuilder(URI.create("http://" + admin + "/status")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<Long> workerPids(JsonNode status) {
    List<Long> pids = new ArrayList<>();
    status.path("workers").forEach(w -> pids.add(w.path("pid").asLong()));
    return pids;
  }

  /**
   * Opens a new connection for each task, as fast as it can, until stopped: every refused
   * connection and every answer other than OK is a failure.
   */
  private static final class Connector implements AutoCloseable {
    final AtomicLong ok = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Connector(int port) {
      thread =
          new Thread(
              () -> {
                long id = 0;
                while (running.get()) {
                  try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
                    byte[] payload = ("task " + ++id).getBytes(StandardCharsets.UTF_8);
                    c.submit(id, "echo", payload);
                    RawClient.Response r = c.read();
                    if (r.status() == 0 && new String(r.body(), StandardCharsets.UTF_8).equals("task " + id)) {
                      ok.incrementAndGet();
                    } else {
                      failures.add("task " + id + ": status " + r.status() + " " + r.message());
                    }
                  } catch (ConnectException e) {
                    failures.add("task " + id + ": connection refused: " + e.getMessage());
                  } catch (IOException e) {
                    failures.add("task " + id + ": " + e);
                  }
                }
              },
              "connector");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(TimeUnit.MINUTES.toMillis(1));
    }
  }

  /** Starts {@code drover master} with {@code workers} workers on {@code port}; returns its admin address. */
  private String startMaster(int workers, int port, Path log) throws IOException, InterruptedException {
    master =
        DroverScript.startMaster(
            new ProcessBuilder(
                DroverScript.DROVER.toString(), "master", "--workers", Integer.toString(workers), "--port", Integer.toString(port), "--admin-port", "0"),
            log);
    seen.add(master.toHandle());
    return DroverScript.adminAddress(log);
  }

  /** A stand-in for systemd's notification socket: the datagrams a master sends it. */
  private static final class NotifySocket implements AutoCloseable {
    final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
    private final io.netty.channel.MultiThreadIoEventLoopGroup group =
        new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.epoll.EpollIoHandler.newFactory());
    private final io.netty.channel.Channel channel;

    NotifySocket(Path path) throws InterruptedException {
      channel =
          new io.netty.bootstrap.Bootstrap()
              .group(group)
              .channel(io.netty.channel.epoll.EpollDomainDatagramChannel.class)
              .handler(
                  new io.netty.channel.SimpleChannelInboundHandler<io.netty.channel.unix.DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx, io.netty.channel.unix.DomainDatagramPacket p) {
                      messages.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                  })
              .bind(new io.netty.channel.unix.DomainSocketAddress(path.toFile()))
              .sync()
              .channel();
    }

    @Override
    public void close() {
      channel.close().syncUninterruptibly();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void upgradeHandsTheSocketsOverWithoutRefusingAConnectionAndTheOldMasterLeaves() throws Exception {
    int port = DroverScript.freePort();
    Path log = tmp.resolve("master.log");
    Path notify = tmp.resolve("notify.sock");
    try (NotifySocket systemd = new NotifySocket(notify)) {
      ProcessBuilder pb =
          new ProcessBuilder(DroverScript.DROVER.toString(), "master", "--workers", "2", "--port", Integer.toString(port), "--admin-port", "0");
      pb.environment().put("NOTIFY_SOCKET", notify.toString());
      master = DroverScript.startMaster(pb, log);
      upgradeUnderConnections(port, log, systemd);
    }
  }

  private void upgradeUnderConnections(int port, Path log, NotifySocket systemd) throws Exception {
    await("READY=1 from the master").atMost(Duration.ofMinutes(1)).until(() -> systemd.messages.stream().anyMatch(m -> m.startsWith("READY=1")));
    seen.add(master.toHandle());
    String admin = DroverScript.adminAddress(log);
    JsonNode before = status(admin);
    long oldPid = before.at("/master/pid").asLong();
    assertThat(oldPid).isEqualTo(master.pid());
    List<ProcessHandle> oldWorkers = master.descendants().toList();
    assertThat(oldWorkers).hasSize(2);

    try (Connector connector = new Connector(port)) {
      await("tasks through the old master").atMost(Duration.ofMinutes(1)).until(() -> connector.ok.get() > 50);
      DroverScript.Result upgraded = DroverScript.run(tmp, "upgrade", "--admin", admin);
      assertThat(upgraded.exitCode()).as("%s%s%nmaster log:%n%s", upgraded.stdout(), upgraded.stderr(), Files.readString(log)).isZero();
      assertThat(upgraded.stdout()).contains("upgrading: master pid " + oldPid + " started pid ").contains("upgraded: master pid ");

      JsonNode after = status(admin); // the same admin address: its socket passed too
      long newPid = after.at("/master/pid").asLong();
      ProcessHandle newMaster = ProcessHandle.of(newPid).orElseThrow();
      seen.add(newMaster);
      assertThat(newPid).isNotEqualTo(oldPid);
      assertThat(after.at("/master/upgrade").asText()).isEqualTo("upgraded from master pid " + oldPid);

      // The old master drains and exits by itself (0), its workers with it.
      assertThat(master.waitFor(2, TimeUnit.MINUTES)).as("old master exited").isTrue();
      assertThat(master.exitValue()).isZero();
      await("old workers gone").atMost(Duration.ofMinutes(1)).until(() -> oldWorkers.stream().noneMatch(ProcessHandle::isAlive));

      // The new master's own workers serve the connections made after it.
      List<Long> newWorkers = workerPids(after);
      assertThat(newWorkers).hasSize(2).doesNotContainAnyElementsOf(oldWorkers.stream().map(ProcessHandle::pid).toList());
      assertThat(newMaster.children().map(ProcessHandle::pid).toList()).containsAll(newWorkers);
      long okAtSwitch = connector.ok.get();
      await("tasks through the new master").atMost(Duration.ofMinutes(1)).until(() -> connector.ok.get() > okAtSwitch + 50);
      newMaster.children().forEach(seen::add);
      connector.close();
      assertThat(connector.failures).as("refused connections or failed tasks").isEmpty();
      assertThat(status(admin).at("/tasks/completed/OK").asLong()).isPositive();

      // systemd follows the service to the new master, and hears no STOPPING=1 from the old one.
      assertThat(systemd.messages).contains("MAINPID=" + newPid + "\nREADY=1\nSTATUS=serving (upgraded)");
      assertThat(systemd.messages).noneMatch(m -> m.startsWith("STOPPING=1"));
      newMaster.destroy();
      newMaster.onExit().get(2, TimeUnit.MINUTES);
      await("STOPPING=1 from the new master").atMost(Duration.ofMinutes(1)).until(() -> systemd.messages.stream().anyMatch(m -> m.startsWith("STOPPING=1")));
    }
    assertThat(Files.readString(log)).contains("handed its sockets to pid");
  }

  @Test
  void clientsThatFollowLoseNothingThroughAnUpgrade() throws Exception {
    int port = DroverScript.freePort();
    Path log = tmp.resolve("master.log");
    String admin = startMaster(2, port, log);
    List<ProcessHandle> oldWorkers = master.descendants().toList();
    // A Java client loop through the upgrade (drover bench's, from the bench module: UpgradeLoadTest).
    try (io.drover.client.DroverClient client = io.drover.client.DroverClient.connect("127.0.0.1", port);
        io.drover.master.testing.SteadyLoad load =
            io.drover.master.testing.SteadyLoad.start(client, "echo", "through".getBytes(StandardCharsets.UTF_8), 32)) {
      await("tasks through the old master").atMost(Duration.ofMinutes(1)).until(() -> load.succeeded() > 200);
      DroverScript.Result upgraded = DroverScript.run(tmp, "upgrade", "--admin", admin);
      assertThat(upgraded.exitCode()).as("%s%s", upgraded.stdout(), upgraded.stderr()).isZero();
      long newPid = status(admin).at("/master/pid").asLong();
      seen.add(ProcessHandle.of(newPid).orElseThrow());
      assertThat(master.waitFor(2, TimeUnit.MINUTES)).as("old master exited").isTrue();
      await("old workers gone").atMost(Duration.ofMinutes(1)).until(() -> oldWorkers.stream().noneMatch(ProcessHandle::isAlive));
      long atSwitch = load.succeeded();
      await("the Java client's tasks go on through the new master").atMost(Duration.ofMinutes(1)).until(() -> load.succeeded() > atSwitch + 200);
      load.close();
      assertThat(load.failures()).as("Java client failures").isEmpty();
      assertThat(status(admin).at("/master/pid").asLong()).isEqualTo(newPid);
    }
  }

  @Test
  void aNewMasterThatCannotStartLeavesTheOldOneServing() throws Exception {
    int port = DroverScript.freePort();
    Path log = tmp.resolve("master.log");
    String admin = startMaster(1, port, log);
    // A jar the JVM cannot run: the new master exits at once.
    Path broken = tmp.resolve("broken.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(broken))) {
      jar.putNextEntry(new java.util.zip.ZipEntry("nothing.txt"));
    }
    try (Connector connector = new Connector(port)) {
      await("tasks through the master").atMost(Duration.ofMinutes(1)).until(() -> connector.ok.get() > 20);
      DroverScript.Result refused = DroverScript.run(tmp, "upgrade", "--admin", admin, "--jar", broken.toString());
      assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
      assertThat(refused.stderr())
          .startsWith("drover upgrade: upgrade failed: the new master (pid ")
          .contains("exited before it was ready (exit code 1")
          .contains("master pid " + master.pid() + " serves on");
      long okAfter = connector.ok.get();
      await("tasks go on").atMost(Duration.ofMinutes(1)).until(() -> connector.ok.get() > okAfter + 20);
      connector.close();
      assertThat(connector.failures).isEmpty();
    }
    assertThat(master.isAlive()).isTrue();
    JsonNode now = status(admin);
    assertThat(now.at("/master/pid").asLong()).isEqualTo(master.pid());
    assertThat(now.at("/master/upgrade").asText()).startsWith("upgrade failed: ");
    assertThat(master.children().toList()).hasSize(1); // its worker; no new master left behind
    DroverScript.Result noJar = DroverScript.run(tmp, "upgrade", "--admin", admin, "--jar", tmp.resolve("missing.jar").toString());
    assertThat(noJar.exitCode()).isEqualTo(2);
    assertThat(noJar.stderr()).contains("--jar").contains("a jar file that exists");
  }
}
