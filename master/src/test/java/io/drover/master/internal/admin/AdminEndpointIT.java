package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.master.DroverMaster;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.TestMasters;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin endpoint of a real master with real worker processes. */
class AdminEndpointIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private DroverMaster master;
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  /** A GET's status and body. */
  record Answer(int status, String body) {}

  static Answer get(InetSocketAddress admin, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  static JsonNode status(InetSocketAddress admin) throws Exception {
    Answer a = get(admin, "/status");
    assertThat(a.status()).isEqualTo(200);
    return JSON.readTree(a.body());
  }

  @Test
  void readyzIs503UntilAWorkerIsReadyWhileHealthzIs200() throws Exception {
    master =
        DroverMaster.start(
            TestMasters.configWithDiagnostics(1)
                .workerMainClass("io.drover.diagnostics.HangAtStartupMain")
                .workerStartTimeout(Duration.ofSeconds(1))
                .keepWaitingForWorkers(true)
                .build());
    InetSocketAddress admin = master.adminAddress();
    assertThat(get(admin, "/healthz")).isEqualTo(new Answer(200, "ok\n"));
    Answer ready = get(admin, "/readyz");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.body()).startsWith("not ready: no worker is ready (1 ");
    JsonNode s = status(admin);
    assertThat(s.at("/master/state").asText()).isEqualTo("RUNNING");
    assertThat(s.at("/master/ready").asBoolean()).isFalse();
    assertThat(s.at("/workers/0/state").asText()).isIn("STARTING", "BACKING_OFF");
  }

  @Test
  void statusUnderLoadMatchesTheProcessesAndWhatClientsReceivedAndShowsAKilledWorkersRestart() throws Exception {
    master = DroverMaster.start(TestMasters.config(3).build());
    InetSocketAddress admin = master.adminAddress();
    assertThat(get(admin, "/readyz")).isEqualTo(new Answer(200, "ready: 3 workers ready\n"));
    int perClient = 2_000;
    List<DroverClient> clients = new ArrayList<>();
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    try {
      for (int c = 0; c < 3; c++) {
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
        clients.add(client);
        for (int i = 0; i < perClient; i++) {
          results.add(client.submit("echo", ("t" + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < 50; i++) {
          results.add(client.submit("sleep", "20".getBytes(StandardCharsets.UTF_8)));
        }
      }
      // drover status --json, as a process of its own, while the tasks flow.
      DroverScript.Result cli = DroverScript.run(tmp, "status", "--admin", "127.0.0.1:" + admin.getPort(), "--json");
      assertThat(cli.exitCode()).as(cli.stderr()).isZero();
      JsonNode fromCli = JSON.readTree(cli.stdout());
      assertThat(fromCli.at("/workers").size()).isEqualTo(3);
      for (JsonNode w : fromCli.at("/workers")) {
        assertThat(w.at("/state").asText()).isEqualTo("READY");
        assertThat(master.workerPids()).contains(w.at("/pid").asLong());
        assertThat(ProcessHandle.of(w.at("/pid").asLong())).isPresent();
      }
      assertThat(fromCli.at("/clients/connections").asInt()).isEqualTo(3);
      // Taken while the tasks flow: the same shape, and the connections are all there.
      JsonNode during = status(admin);
      assertThat(during.at("/clients/connections").asInt()).isEqualTo(3);
      assertThat(during.at("/workers").size()).isEqualTo(3);
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    } finally {
      clients.forEach(DroverClient::close);
    }
    int received = results.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> status(admin).at("/clients/connections").asInt() == 0);
    JsonNode s = status(admin);
    assertThat(s.at("/tasks/submitted").asLong()).isEqualTo(received);
    assertThat(s.at("/tasks/completed/OK").asLong()).isEqualTo(received);
    assertThat(s.at("/tasks/inFlight").asInt()).isZero();
    long byWorkers = 0;
    Set<Long> pids = new HashSet<>();
    for (JsonNode w : s.at("/workers")) {
      assertThat(w.at("/state").asText()).isEqualTo("READY");
      long pid = w.at("/pid").asLong();
      assertThat(ProcessHandle.of(pid)).as("worker %s's process", pid).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
      assertThat(ProcessHandle.of(pid).get().parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
      pids.add(pid);
      byWorkers += w.at("/completed").asLong();
      assertThat(w.at("/restarts").asInt()).isZero();
      assertThat(w.at("/lastExit").isNull()).isTrue();
    }
    assertThat(pids).containsExactlyInAnyOrderElementsOf(master.workerPids());
    assertThat(byWorkers).isEqualTo(received);
    assertThat(s.at("/master/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(s.at("/master/listen/clients").asText()).endsWith(":" + master.clientAddress().getPort());
    assertThat(s.at("/master/listen/admin").asText()).endsWith(":" + admin.getPort());

    long victim = s.at("/workers/1/pid").asLong();
    new ProcessBuilder("kill", "-9", Long.toString(victim)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    await("worker 2 restarted")
        .atMost(Duration.ofSeconds(60))
        .until(() -> {
          JsonNode w = status(admin).at("/workers/1");
          return w.at("/state").asText().equals("READY") && w.at("/restarts").asInt() == 1;
        });
    JsonNode w = status(admin).at("/workers/1");
    assertThat(w.at("/pid").asLong()).isNotEqualTo(victim);
    assertThat(ProcessHandle.of(w.at("/pid").asLong())).isPresent();
    assertThat(w.at("/lastExit/pid").asLong()).isEqualTo(victim);
    assertThat(w.at("/lastExit/signal").asInt()).isEqualTo(9);
    assertThat(w.at("/lastExit/exitCode").isNull()).isTrue();
    assertThat(w.at("/lastExit/reason").asText()).isEqualTo("exited unexpectedly (killed by signal 9)");
    DroverScript.Result text = DroverScript.run(tmp, "status", "--admin", "127.0.0.1:" + admin.getPort());
    assertThat(text.exitCode()).as(text.stderr()).isZero();
    assertThat(text.stdout())
        .contains("workers ready 3/3")
        .contains("worker 2: last exit of pid " + victim + ": exited unexpectedly (killed by signal 9)")
        .contains(received + " submitted, " + received + " completed (" + received + " OK)");
    assertThat(StreamSupport.stream(status(admin).at("/workers").spliterator(), false).filter(x -> x.at("/restarts").asInt() > 0))
        .hasSize(1);
  }

  @Test
  void readyzIs503DuringShutdown() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).shutdownTimeout(Duration.ofSeconds(60)).build());
    InetSocketAddress admin = master.adminAddress();
    try (DroverClient c = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      CompletableFuture<byte[]> longTask = c.submit("sleep", "60000".getBytes(StandardCharsets.US_ASCII));
      await().atMost(Duration.ofSeconds(30)).until(() -> master.tasksInProgress() == 1);
      Thread closer = new Thread(master::close, "test-close");
      closer.start();
      await("readyz during shutdown")
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(admin, "/readyz"), a -> a.equals(new Answer(503, "not ready: the master is shutting down\n")));
      assertThat(get(admin, "/healthz").status()).isEqualTo(200);
      assertThat(status(admin).at("/master/state").asText()).isEqualTo("SHUTTING_DOWN");
      longTask.cancel(true);
      closer.join(TimeUnit.SECONDS.toMillis(90));
      assertThat(closer.isAlive()).isFalse();
    }
  }

  @Test
  void badRequestsAre4xxAndTheTaskPathKeepsServing() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).build());
    InetSocketAddress admin = master.adminAddress();
    assertThat(get(admin, "/nope").status()).isEqualTo(404);
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + "/status"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).contains("GET");
    assertThat(raw(admin, "GET /status HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431 ");
    assertThat(raw(admin, "\u0016\u0003\u0001garbage\u0000\r\n\r\n")).startsWith("HTTP/1.1 400 ").doesNotContain("\tat ");
    assertThat(raw(admin, "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 414 ");
    try (DroverClient c = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      assertThat(c.submit("echo", "still".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS))
          .isEqualTo("still".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(get(admin, "/healthz").status()).isEqualTo(200);
  }

  @Test
  void anAdminPortInUseFailsTheStartWithOneLineNamingItAndTheWayOut() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      DroverScript.Result r =
          DroverScript.run(tmp, "master", "--port", "0", "--admin-port", Integer.toString(port), "--workers", "1", "--no-worker-cds");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr())
          .startsWith("drover master: cannot start: admin endpoint cannot listen on 127.0.0.1:" + port + ": ")
          .contains("(--admin-port 0 takes any free port; --no-admin turns the endpoint off)")
          .doesNotContain("\tat ");
      assertThat(r.stderr().lines()).hasSize(1);
      assertThat(r.stdout()).doesNotContain("Drover master listening on");
    }
  }

  /** Sends {@code request} as bytes and returns all the server answers until it closes. */
  private static String raw(InetSocketAddress admin, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", admin.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
