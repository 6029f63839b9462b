package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.master.DroverMaster;
import io.drover.master.testing.TestMasters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin endpoint's POST routes on a real master: the token, and what each route changes. */
class AdminControlIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private DroverMaster master;
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.adminAddress().getPort() + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token() throws Exception {
    Path file = master.workerSocket().getParent().resolve(AdminToken.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    return Files.readString(file).strip();
  }

  private JsonNode status() throws Exception {
    return new ObjectMapper().readTree(send("GET", "/status", null).body());
  }

  @Test
  void aChangeWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).build());
    HttpResponse<String> none = send("POST", "/scale?workers=2", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"drover\"");
    assertThat(none.body()).contains("admin.token");
    HttpResponse<String> wrong = send("POST", "/scale?workers=2", "not-the-token");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).isEqualTo("wrong admin token: nothing was done\n");
    assertThat(send("POST", "/restart", null).statusCode()).isEqualTo(401);
    assertThat(send("POST", "/reload", "x").statusCode()).isEqualTo(403);
    assertThat(master.poolSize()).isEqualTo(1);
    assertThat(master.workerTransitions()).noneMatch(t -> t.workerId() == 2);
    // Reading needs no token on loopback.
    assertThat(send("GET", "/status", null).statusCode()).isEqualTo(200);
  }

  @Test
  void scaleWithTheTokenGrowsThePoolAndBadCountsAre400() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).build());
    String token = token();
    HttpResponse<String> grown = send("POST", "/scale?workers=%2B1", token);
    assertThat(grown.statusCode()).isEqualTo(200);
    assertThat(grown.body()).isEqualTo("scaling up from 1 to 2 workers: starting worker 2\n");
    await().atMost(Duration.ofMinutes(2)).until(() -> status().at("/master/workersReady").asInt() == 2);
    assertThat(status().at("/master/workersConfigured").asInt()).isEqualTo(2);
    String metrics = send("GET", "/metrics", null).body();
    assertThat(metrics).contains("\ndrover_pool_workers 2.0\n").contains("\ndrover_config_generation 1.0\n").contains("\ndrover_autoscale_decisions_total 0.0\n");

    assertThat(send("POST", "/scale?workers=many", token).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/scale?workers=-5", token).body()).isEqualTo("workers: -5 makes -3 (expected: 1..1024)\n");
    assertThat(send("POST", "/scale", token).body()).startsWith("workers: missing (expected: N, +K or -K");
    HttpResponse<String> get = send("GET", "/scale?workers=3", token);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(master.poolSize()).isEqualTo(2);
  }

  @Test
  void restartIsAcceptedAndItsProgressIsInStatus() throws Exception {
    master = DroverMaster.start(TestMasters.config(2).build());
    String token = token();
    java.util.List<Long> before = master.workerPids();
    HttpResponse<String> started = send("POST", "/restart", token);
    assertThat(started.statusCode()).isEqualTo(202);
    assertThat(started.body()).startsWith("rolling restart in progress (drover restart): 0 of 2 workers replaced");
    HttpResponse<String> again = send("POST", "/restart", token);
    assertThat(again.statusCode()).as(again.body()).isIn(202, 409); // 202 only if the first one finished already
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> status().at("/master/rollout").asText().startsWith("rolling restart done (drover restart): 2 of 2"));
    // Done once every replacement is ready; the old workers then drain and exit.
    await().atMost(Duration.ofMinutes(2)).until(() -> master.workerPids().stream().noneMatch(before::contains));
    assertThat(send("POST", "/restart?worker=7", token).body()).startsWith("worker 7 is not in the pool (expected one of: 1, 2)");
    assertThat(send("POST", "/restart?worker=x", token).statusCode()).isEqualTo(400);
  }

  @Test
  void reloadWithoutAFileSaysWhyAndStatusShowsIt() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).build());
    HttpResponse<String> r = send("POST", "/reload", token());
    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode outcome = new ObjectMapper().readTree(r.body());
    assertThat(outcome.at("/ok").asBoolean()).isFalse();
    assertThat(outcome.at("/error").asText()).contains("not from a configuration file");
    JsonNode config = status().at("/master/config");
    assertThat(config.at("/generation").asInt()).isEqualTo(1);
    assertThat(config.at("/lastReload/ok").asBoolean()).isFalse();
    assertThat(status().at("/master/autoscale/enabled").asBoolean()).isFalse();
  }

  @Test
  void anOperatorsTokenFileIsUsed() throws Exception {
    Path file = tmp.resolve("token");
    Files.writeString(file, "s3cret-token\n");
    master = DroverMaster.start(TestMasters.config(1).adminTokenFile(file).build());
    assertThat(token()).isEqualTo("s3cret-token");
    assertThat(send("POST", "/scale?workers=1", "s3cret-token").body()).isEqualTo("the pool has 1 workers already\n");
  }
}
