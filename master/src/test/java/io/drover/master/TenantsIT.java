package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverAuthenticationException;
import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.DroverTls;
import io.drover.client.TaskOptions;
import io.drover.client.TaskPriority;
import io.drover.client.TaskStatus;
import io.drover.master.config.AuthSettings;
import io.drover.master.config.TenantSettings;
import io.drover.master.config.TenantSettings.Priority;
import io.drover.master.config.TlsSettings;
import io.drover.master.internal.auth.TokenHash;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.RawClient;
import io.drover.master.testing.TestCertificates;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants on a real master (worker JVMs, the examples' handlers): tokens checked in the AUTH frame
 * from a raw socket, the Java client and the CLI (and drover bench: bench/TokenLoadTest); a tenant limited to some task types and
 * priorities; a tenant's in-flight limit holding as backpressure while another's tasks run; a
 * tenant known by its client certificate over mutual TLS.
 */
class TenantsIT {
  private static final Duration BOUND = Duration.ofMinutes(2);
  private static final String ECHOER = "echoer-token";
  private static final String LIMITED = "limited-token";
  private static final String FREE = "free-token";

  @TempDir Path tmp;
  private DroverMaster master;
  /** One client for every poll: the admin port takes a bounded number of connections. */
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private static TenantSettings tenant(String name, String token, List<String> types, int maxInFlight, Priority max) {
    return new TenantSettings(name, token == null ? null : TokenHash.hex(token), null, types, maxInFlight, max, 1);
  }

  private static AuthSettings tenants() {
    return new AuthSettings(
        List.of(
            tenant("echoer", ECHOER, List.of("echo"), 0, Priority.NORMAL),
            tenant("limited", LIMITED, List.of(), 4, Priority.HIGH),
            tenant("free", FREE, List.of(), 0, Priority.HIGH)),
        false);
  }

  private DroverMaster start(AuthSettings auth) throws Exception {
    master = DroverMaster.start(TestMasters.config(2).auth(auth).build());
    return master;
  }

  private DroverClient client(String token) {
    return DroverClient.builder().port(master.clientAddress().getPort()).token(token).build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] authFrame(String token) {
    ByteBuf out = Unpooled.buffer();
    RequestHeaderCodec.writeFrame(out, RequestHeaderCodec.KIND_AUTH, 7, new byte[0], utf8(token));
    return ByteBufUtil.getBytes(out);
  }

  private JsonNode status() throws Exception {
    HttpResponse<String> r =
        http
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.adminAddress().getPort() + "/status")).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void aConnectionThatDoesNotAuthenticateWithinTheAuthTimeoutIsAnsweredUnauthenticatedAndClosed() throws Exception {
    io.drover.master.config.ConnectionLimits d = io.drover.master.config.ConnectionLimits.defaults(16 << 20);
    master =
        DroverMaster.start(
            TestMasters.config(2)
                .auth(tenants())
                .connectionLimits(
                    new io.drover.master.config.ConnectionLimits(
                        d.maxConnections(), d.maxConnectionsPerAddress(), d.idleTimeout(), d.frameReadTimeout(),
                        d.tlsHandshakeTimeout(), Duration.ofSeconds(1), d.maxPartialFrameBytes()))
                .build());
    try (RawClient silent = new RawClient(master.clientAddress());
        RawClient authenticated = new RawClient(master.clientAddress())) {
      authenticated.write(authFrame(ECHOER));
      assertThat(authenticated.read().status()).isEqualTo(Status.OK_VALUE);
      // The silent one sends nothing at all: the master ends it.
      RawClient.Response r = silent.read();
      assertThat(r.status()).isEqualTo(Status.UNAUTHENTICATED_VALUE);
      assertThat(r.requestId()).isZero();
      assertThat(r.message()).startsWith("no authentication within 1 s (--auth-timeout)");
      assertThat(silent.closedByPeer()).isTrue();
      // Its twin, opened at the same time, authenticated in time and is served on.
      authenticated.submit(8, "echo", utf8("still here"));
      RawClient.Response echo = authenticated.read();
      assertThat(echo.status()).isEqualTo(Status.OK_VALUE);
      assertThat(echo.body()).isEqualTo(utf8("still here"));
    }
    assertThat(status().get("tenants").get("authFailures").get("no_auth_frame").asInt()).isEqualTo(1);
  }

  @Test
  void aFrameBeforeAuthOrAWrongTokenIsAnsweredUnauthenticatedAndTheConnectionClosed() throws Exception {
    start(tenants());
    try (RawClient raw = new RawClient(master.clientAddress())) {
      raw.submit(1, "echo", utf8("no token"));
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(Status.UNAUTHENTICATED_VALUE);
      assertThat(r.requestId()).isZero();
      assertThat(r.message()).contains("AUTH");
      assertThat(raw.closedByPeer()).isTrue();
    }
    try (RawClient raw = new RawClient(master.clientAddress())) {
      raw.write(authFrame("not a token of anyone"));
      raw.submit(2, "echo", utf8("after a bad token"));
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(Status.UNAUTHENTICATED_VALUE);
      assertThat(r.message()).isEqualTo("unknown token");
      assertThat(raw.closedByPeer()).as("closed, the SUBMIT after the AUTH never answered").isTrue();
    }
    try (RawClient raw = new RawClient(master.clientAddress())) {
      raw.write(authFrame(FREE));
      RawClient.Response ok = raw.read();
      assertThat(ok.status()).isEqualTo(Status.OK_VALUE);
      assertThat(ok.requestId()).isEqualTo(7);
      assertThat(ok.message()).isEqualTo("free");
      raw.submit(3, "echo", utf8("authenticated"));
      assertThat(raw.read().body()).isEqualTo(utf8("authenticated"));
    }

    assertThatThrownBy(() -> client("wrong"))
        .isInstanceOf(DroverAuthenticationException.class)
        .hasMessageContaining("refused the client's token: unknown token");
    try (DroverClient none = DroverClient.builder().port(master.clientAddress().getPort()).build()) {
      assertThatThrownBy(() -> none.submit("echo", utf8("x")).get(1, TimeUnit.MINUTES))
          .cause()
          .isInstanceOf(DroverTaskException.class)
          .satisfies(e -> assertThat(((DroverTaskException) e).status()).isEqualTo(TaskStatus.UNAUTHENTICATED));
    }
    JsonNode failures = status().get("tenants").get("authFailures");
    assertThat(failures.get("no_auth_frame").asLong()).isEqualTo(2);
    assertThat(failures.get("unknown_token").asLong()).isEqualTo(2);
    String metrics =
        http
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.adminAddress().getPort() + "/metrics")).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("drover_client_auth_failures_total{reason=\"unknown_token\"} 2")
        .contains("drover_tenant_tasks_submitted_total{tenant=\"free\"} 1")
        .doesNotContain(FREE)
        .doesNotContain(TokenHash.hex(FREE));
  }

  @Test
  void aTenantLimitedToEchoIsDeniedSha256AndHighPriorityAndKeepsItsConnection() throws Exception {
    start(tenants());
    try (DroverClient echoer = client(ECHOER)) {
      assertThat(echoer.submit("echo", utf8("allowed")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("allowed"));
      assertThatThrownBy(() -> echoer.submit("sha256", utf8("forbidden")).get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(DroverTaskException.class)
          .satisfies(e -> assertThat(((DroverTaskException) e).status()).isEqualTo(TaskStatus.PERMISSION_DENIED))
          .hasMessageContaining("tenant echoer may not run this task type");
      assertThatThrownBy(
              () -> echoer.submit("echo", utf8("urgent"), TaskOptions.defaults().withPriority(TaskPriority.HIGH)).get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(DroverTaskException.class)
          .hasMessageContaining("may not use priority HIGH");
      assertThat(echoer.submit("echo", utf8("still open")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("still open"));
    }
    try (DroverClient free = client(FREE)) {
      assertThat(free.submit("sha256", utf8("abc")).get(30, TimeUnit.SECONDS)).isNotEmpty();
    }
    JsonNode echoer = status().get("tenants").get("byName").get("echoer");
    assertThat(echoer.get("denied").asLong()).isEqualTo(2);
    assertThat(echoer.get("submitted").asLong()).isEqualTo(2);
  }

  @Test
  void aTenantsInFlightLimitHoldsOnAllItsConnectionsWhileAnotherTenantsTasksFlow() throws Exception {
    start(tenants());
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicBoolean polling = new AtomicBoolean(true);
    CompletableFuture<Void> poller =
        CompletableFuture.runAsync(
            () -> {
              try {
                while (polling.get()) {
                  JsonNode limited = status().get("tenants").get("byName").get("limited");
                  mostInFlight.accumulateAndGet(limited.get("inFlight").asInt(), Math::max);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    List<DroverClient> limitedClients = new ArrayList<>();
    List<CompletableFuture<byte[]>> slow = new ArrayList<>();
    try (DroverClient free = client(FREE)) {
      for (int c = 0; c < 3; c++) {
        DroverClient limited = client(LIMITED);
        limitedClients.add(limited);
        for (int i = 0; i < 6; i++) {
          slow.add(limited.submit("sleep", utf8("1500"), TaskOptions.defaults().withTimeout(Duration.ofMinutes(2))));
        }
      }
      await("the limited tenant at its limit").atMost(BOUND)
          .until(() -> status().get("tenants").get("byName").get("limited").get("inFlight").asInt() == 4);
      // Meanwhile the other tenant's tasks flow: the workers have 8 slots, the limited tenant 4.
      List<CompletableFuture<byte[]>> quick = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        quick.add(free.submit("echo", utf8("quick " + i)));
      }
      for (int i = 0; i < quick.size(); i++) {
        assertThat(quick.get(i).get(1, TimeUnit.MINUTES)).isEqualTo(utf8("quick " + i));
      }
      // The limited tenant's 18 tasks all complete as its room frees, its connections read again.
      for (CompletableFuture<byte[]> f : slow) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      polling.set(false);
      poller.get(1, TimeUnit.MINUTES);
      for (DroverClient c : limitedClients) {
        c.close();
      }
    }
    assertThat(mostInFlight.get()).as("the limited tenant's tasks in flight, at most").isEqualTo(4);
    JsonNode limited = status().get("tenants").get("byName").get("limited");
    assertThat(limited.get("submitted").asLong()).isEqualTo(18);
    assertThat(limited.get("completed").asLong()).isEqualTo(18);
    assertThat(status().get("tenants").get("byName").get("free").get("completed").asLong()).isEqualTo(200);
  }

  @Test
  void aClientCertificateNamesItsTenantOverMutualTls() throws Exception {
    TestCertificates certs = TestCertificates.in(tmp);
    certs.server("server", "drover-test-server");
    certs.client("analytics", "analytics", "ca");
    certs.client("stranger", "stranger", "ca");
    AuthSettings auth =
        new AuthSettings(
            List.of(
                new TenantSettings("analytics", null, "CN=analytics", List.of("echo"), 0, Priority.HIGH, 1),
                tenant("free", FREE, List.of(), 0, Priority.HIGH)),
            false);
    TlsSettings tls =
        new TlsSettings(
            Path.of(certs.file("server.pem")), Path.of(certs.file("server.key")), certs.ca(), TlsSettings.ClientAuth.REQUIRE, false);
    master = DroverMaster.start(TestMasters.config(1).tls(tls).auth(auth).build());
    int port = master.clientAddress().getPort();
    DroverTls trusting = DroverTls.trusting(certs.ca());
    try (DroverClient analytics =
        DroverClient.builder()
            .port(port)
            .tls(trusting.withClientCertificate(Path.of(certs.file("analytics.pem")), Path.of(certs.file("analytics.key"))))
            .build()) {
      assertThat(analytics.submit("echo", utf8("by certificate")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("by certificate"));
      assertThatThrownBy(() -> analytics.submit("sha256", utf8("x")).get(30, TimeUnit.SECONDS))
          .cause()
          .hasMessageContaining("tenant analytics may not run this task type");
    }
    DroverTls stranger = trusting.withClientCertificate(Path.of(certs.file("stranger.pem")), Path.of(certs.file("stranger.key")));
    try (DroverClient c = DroverClient.builder().port(port).tls(stranger).build()) {
      assertThatThrownBy(() -> c.submit("echo", utf8("x")).get(1, TimeUnit.MINUTES))
          .cause()
          .isInstanceOf(DroverTaskException.class)
          .satisfies(e -> assertThat(((DroverTaskException) e).status()).isEqualTo(TaskStatus.UNAUTHENTICATED));
    }
    // A certificate that names no tenant may still bring a token.
    try (DroverClient c = DroverClient.builder().port(port).tls(stranger).token(FREE).build()) {
      assertThat(c.submit("sha256", utf8("abc")).get(30, TimeUnit.SECONDS)).isNotEmpty();
    }
  }

  @Test
  void droverTokenPrintsATokenAndItsHashAndTheCliAuthenticatesWithATokenFileOrDroverToken() throws Exception {
    DroverScript.Result token = DroverScript.run(tmp, "token");
    assertThat(token.exitCode()).isZero();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("token: ([A-Za-z0-9_-]{43})\ntoken-sha256: ([0-9a-f]{64})\n").matcher(token.stdout());
    assertThat(m.matches()).as(token.stdout()).isTrue();
    assertThat(m.group(2)).isEqualTo(TokenHash.hex(m.group(1)));
    start(tenants());
    String port = Integer.toString(master.clientAddress().getPort());
    Path tokenFile = tmp.resolve("token");
    Files.writeString(tokenFile, FREE + "\n");
    DroverScript.Result submit =
        DroverScript.run(tmp, "submit", "--port", port, "--token-file", tokenFile.toString(), "--type", "echo", "--payload", "from the CLI");
    assertThat(submit.exitCode()).as(submit.stderr()).isZero();
    assertThat(submit.stdout()).contains("from the CLI");
    ProcessBuilder fromEnvironment =
        new ProcessBuilder(DroverScript.DROVER.toString(), "submit", "--port", port, "--type", "echo", "--payload", "from DROVER_TOKEN")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("env-submit.txt").toFile());
    fromEnvironment.environment().put("DROVER_TOKEN", FREE);
    Process p = fromEnvironment.start();
    try {
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(tmp.resolve("env-submit.txt"))).isZero();
      assertThat(Files.readString(tmp.resolve("env-submit.txt"))).contains("from DROVER_TOKEN");
    } finally {
      DroverScript.destroyWithDescendants(p);
    }
    DroverScript.Result refused = DroverScript.run(tmp, "submit", "--port", port, "--type", "echo", "--payload", "x");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("UNAUTHENTICATED");
    // drover bench with a token: bench/TokenLoadTest (the bench jar does not exist during master ITs).
  }

  @Test
  void aReloadChangesTheTenantsForNewConnectionsAndTheLimitsOfOpenOnes() throws Exception {
    start(tenants());
    try (DroverClient echoer = client(ECHOER)) {
      assertThatThrownBy(() -> echoer.submit("sha256", utf8("x")).get(30, TimeUnit.SECONDS)).cause().hasMessageContaining("may not run");
      AuthSettings next =
          new AuthSettings(
              List.of(tenant("echoer", ECHOER, List.of("echo", "sha256"), 0, Priority.HIGH), tenant("newcomer", "new-token", List.of(), 0, Priority.HIGH)),
              false);
      master.reload(TestMasters.config(2).auth(next).build()).toCompletableFuture().get(1, TimeUnit.MINUTES);
      assertThat(echoer.submit("sha256", utf8("abc")).get(30, TimeUnit.SECONDS)).as("the open connection's new limits").isNotEmpty();
    }
    try (DroverClient newcomer = client("new-token")) {
      assertThat(newcomer.submit("echo", utf8("hi")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("hi"));
    }
    assertThatThrownBy(() -> client(LIMITED)).isInstanceOf(DroverAuthenticationException.class);
  }
}
