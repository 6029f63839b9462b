package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.RawClient;
import io.drover.master.testing.TestCertificates;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.proto.Status;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port's connection limits on a real master: slowloris connections closed after the
 * frame-read timeout while a bystander's tasks run, the total and per-address limits refusing
 * with a clear error and log line, the idle GOAWAY, and the TLS handshake timeout.
 */
class ConnectionLimitsIT {
  /** One client for every request: one per request would leave idle connections to the admin port's limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration BOUND = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Process master;
  private Path log;
  private InetSocketAddress address;
  private final List<RawClient> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (RawClient s : sockets) {
      s.close();
    }
    DroverScript.destroyWithDescendants(master);
  }

  private void startMaster(String... extra) throws Exception {
    int port = DroverScript.freePort();
    log = tmp.resolve("master.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                DroverScript.DROVER.toString(), "master", "--port", Integer.toString(port), "--admin-port", "0", "--workers", "1",
                "--worker-classpath", TestMasters.examplesJar() + ":" + TestMasters.diagnosticsJar()));
    cmd.addAll(List.of(extra));
    master = DroverScript.startMaster(new ProcessBuilder(cmd), log);
    address = new InetSocketAddress("127.0.0.1", port);
  }

  private RawClient connect(InetAddress from) throws IOException {
    RawClient c = new RawClient(address, from);
    sockets.add(c);
    return c;
  }

  private JsonNode connectionStatus() throws Exception {
    HttpResponse<String> r =
        HTTP
            .send(
                HttpRequest.newBuilder(URI.create("http://" + DroverScript.adminAddress(log) + "/status")).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).get("connections");
  }

  private String metrics() throws Exception {
    return HTTP
        .send(
            HttpRequest.newBuilder(URI.create("http://" + DroverScript.adminAddress(log) + "/metrics")).timeout(BOUND).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aThousandSlowlorisConnectionsAreClosedAfterTheFrameReadTimeoutWhileABystandersTasksAllSucceed() throws Exception {
    startMaster("--frame-read-timeout", "2", "--max-connections-per-address", "2000");
    byte[] halfAFrame = new byte[11];
    halfAFrame[0] = 100; // a length prefix announcing 100 bytes, then 10 of them
    for (int i = 0; i < 1000; i++) {
      connect(null).write(halfAFrame);
    }
    try (DroverClient bystander = DroverClient.builder().port(address.getPort()).build()) {
      List<CompletableFuture<byte[]>> tasks = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        tasks.add(bystander.submit("echo", utf8("task " + i)));
      }
      for (int i = 0; i < tasks.size(); i++) {
        assertThat(tasks.get(i).get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(utf8("task " + i));
      }
    }
    await("1,000 frame-read timeouts")
        .atMost(BOUND)
        .until(() -> connectionStatus().get("closed").get("frameReadTimeout").asLong() == 1000);
    for (RawClient s : sockets) {
      RawClient.Response error = s.read();
      assertThat(error.requestId()).isZero();
      assertThat(error.status()).isEqualTo(Status.MALFORMED_FRAME_VALUE);
      assertThat(error.message()).isEqualTo("no complete frame within 2 s of its first byte (--frame-read-timeout 2)");
      assertThat(s.closedByPeer()).isTrue();
    }
    JsonNode status = connectionStatus();
    assertThat(status.get("partialFrameBytes").asLong()).isZero();
    assertThat(status.get("open").asInt()).isZero();
    assertThat(metrics()).contains("drover_connections_closed_total{reason=\"frame_read_timeout\"} 1000");
    // One line a second at most, the rest counted.
    assertThat(Files.readString(log)).contains("no complete frame within 2 s of its first byte (--frame-read-timeout 2); closing the connection");
    await("the summary of the suppressed lines, at the end of their second")
        .atMost(BOUND)
        .until(() -> Files.readString(log).matches("(?s).*suppressed [\\d,]+ similar warnings from client connections closed by a limit.*"));
  }

  @Test
  void theConnectionOverMaxConnectionsIsRefusedWithAClearErrorAndOneClosingLetsANewOneIn() throws Exception {
    startMaster("--max-connections", "1000", "--max-connections-per-address", "2000");
    for (int i = 0; i < 1000; i++) {
      connect(null);
    }
    await("1,000 open").atMost(BOUND).until(() -> connectionStatus().get("open").asInt() == 1000);
    RawClient extra = connect(null);
    RawClient.Response refusal = extra.read();
    assertThat(refusal.requestId()).isZero();
    assertThat(refusal.status()).isEqualTo(Status.OVERLOADED_VALUE);
    assertThat(refusal.message()).isEqualTo("too many connections: 1000 open (--max-connections 1000)");
    assertThat(extra.closedByPeer()).isTrue();
    await("the log line")
        .atMost(BOUND)
        .until(() -> Files.readString(log).contains("refused: too many connections: 1000 open (--max-connections 1000)"));
    // The Java client sees the master's words.
    try (DroverClient client = DroverClient.builder().port(address.getPort()).build()) {
      assertThatThrownBy(() -> client.submit("echo", utf8("x")).get(BOUND.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("too many connections");
    } catch (io.drover.client.DroverConnectionException e) {
      assertThat(e).hasMessageContaining("too many connections");
    }

    sockets.remove(0).close();
    await("room for one").atMost(BOUND).until(() -> connectionStatus().get("open").asInt() == 999);
    try (DroverClient client = DroverClient.builder().port(address.getPort()).build()) {
      assertThat(client.submit("echo", utf8("in")).get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(utf8("in"));
    }
    assertThat(connectionStatus().get("refused").get("maxConnections").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(metrics()).containsPattern("drover_connections_refused_total\\{reason=\"max_connections\"} [1-9]");
  }

  @Test
  void eachAddressHasItsOwnLimit() throws Exception {
    startMaster("--max-connections-per-address", "3");
    for (int i = 0; i < 3; i++) {
      connect(null);
    }
    RawClient fourth = connect(null);
    RawClient.Response refusal = fourth.read();
    assertThat(refusal.status()).isEqualTo(Status.OVERLOADED_VALUE);
    assertThat(refusal.message()).isEqualTo("too many connections from 127.0.0.1: 3 open (--max-connections-per-address 3)");
    assertThat(fourth.closedByPeer()).isTrue();

    RawClient other = connect(InetAddress.getByName("127.0.0.2"));
    other.submit(1, "echo", utf8("from another address"));
    RawClient.Response answer = other.read();
    assertThat(answer.status()).isEqualTo(Status.OK_VALUE);
    assertThat(answer.body()).isEqualTo(utf8("from another address"));
    assertThat(connectionStatus().get("refused").get("maxConnectionsPerAddress").asLong()).isEqualTo(1);
    assertThat(Files.readString(log)).contains("refused: too many connections from 127.0.0.1: 3 open (--max-connections-per-address 3)");
  }

  @Test
  void anIdleConnectionGetsAGoAwayAndIsClosedAndABusyOneDoesNot() throws Exception {
    startMaster("--idle-timeout", "1");
    RawClient busy = connect(null);
    busy.submit(1, "hang", new byte[0]);
    RawClient idle = connect(null);
    RawClient.Response goAway = idle.read();
    assertThat(goAway.requestId()).isZero();
    assertThat(goAway.status()).isEqualTo(Status.GOING_AWAY_VALUE);
    assertThat(goAway.message()).isEqualTo("idle for 1 s (--idle-timeout 1)");
    assertThat(idle.closedByPeer()).isTrue();
    assertThat(busy.socket().getInputStream().available()).as("nothing sent to the busy connection").isZero();
    assertThat(connectionStatus().get("closed").get("idle").asLong()).isEqualTo(1);

    // Once its task is over it is idle too.
    ByteBufCancel.cancel(busy, 1);
    assertThat(busy.read().status()).isEqualTo(Status.CANCELLED_VALUE);
    RawClient.Response later = busy.read();
    assertThat(later.status()).isEqualTo(Status.GOING_AWAY_VALUE);
    assertThat(busy.closedByPeer()).isTrue();
  }

  @Test
  void aTlsConnectionThatNeverSendsAClientHelloIsClosedAfterTheHandshakeTimeout() throws Exception {
    TestCertificates certs = TestCertificates.in(tmp);
    certs.server("server", "drover-test-server");
    startMaster("--tls-cert", certs.file("server.pem"), "--tls-key", certs.file("server.key"), "--tls-handshake-timeout", "1");
    RawClient silent = connect(null);
    assertThat(silent.closedByPeer()).as("closed by the master, not the 30 s read timeout").isTrue();
    await("counted").atMost(BOUND).until(() -> connectionStatus().get("closed").get("handshakeTimeout").asLong() == 1);
    assertThat(Files.readString(log)).contains("TLS handshake not done within 1 s (--tls-handshake-timeout 1); closing the connection");
    assertThat(metrics()).contains("drover_connections_closed_total{reason=\"handshake_timeout\"} 1");
  }

  @Test
  void overThePartialFrameBoundTheOldestStalledFramesAreClosedAndABystandersLargeFrameGetsThrough() throws Exception {
    startMaster("--max-frame-bytes", "1048576", "--max-partial-frame-mib", "1");
    byte[] start = new byte[300 * 1024];
    byte[] prefix = RawClient.varint(1_000_000);
    System.arraycopy(prefix, 0, start, 0, prefix.length);
    List<RawClient> stalled = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RawClient s = connect(null);
      s.write(start);
      stalled.add(s);
    }
    await("a stalled connection answered").atMost(BOUND).until(() -> answered(stalled) != null);
    RawClient evicted = answered(stalled);
    RawClient.Response error = evicted.read();
    assertThat(error.requestId()).isZero();
    assertThat(error.status()).isEqualTo(Status.OVERLOADED_VALUE);
    assertThat(error.message())
        .startsWith("incomplete frames of all connections hold more than 1 MiB")
        .contains("(--max-partial-frame-mib 1)");
    assertThat(evicted.closedByPeer()).isTrue();

    try (DroverClient bystander = DroverClient.builder().port(address.getPort()).maxFrameBytes(1048576).build()) {
      byte[] large = new byte[900 * 1024];
      large[large.length - 1] = 42;
      assertThat(bystander.submit("echo", large).get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(large);
    }
    JsonNode status = connectionStatus();
    assertThat(status.get("closed").get("partialFrameMemory").asLong()).isPositive();
    assertThat(status.get("partialFrameBytes").asLong()).isLessThanOrEqualTo(1 << 20);
    assertThat(metrics()).containsPattern("drover_connections_closed_total\\{reason=\"partial_frame_memory\"} [1-9]");
  }

  /** One of {@code sockets} that has bytes to read (an answer), or null. */
  private static RawClient answered(List<RawClient> sockets) throws IOException {
    for (RawClient s : sockets) {
      if (s.socket().getInputStream().available() > 0) {
        return s;
      }
    }
    return null;
  }

  /** A CANCEL frame, built as the protocol says. */
  private static final class ByteBufCancel {
    static void cancel(RawClient c, long requestId) throws IOException {
      io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
      io.drover.protocol.wire.RequestHeaderCodec.writeFrame(out, io.drover.protocol.wire.RequestHeaderCodec.KIND_CANCEL, requestId, new byte[0], new byte[0]);
      c.write(io.netty.buffer.ByteBufUtil.getBytes(out));
      out.release();
    }
  }
}
