package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.master.testing.DroverScript;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/drover master --config FILE} as a process of its own, with its real workers. */
class ConfigFileIT {
  /** One client for every request: one per request would leave idle connections to the admin port's limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stop() throws InterruptedException {
    DroverScript.destroyWithDescendants(master);
  }

  @Test
  void aMasterRunsWithTheFilesSettingsAndTheCommandLineOverridesThem() throws Exception {
    int port = DroverScript.freePort();
    Path config = tmp.resolve("drover.yaml");
    Files.writeString(
        config,
        "workers: 3\n"
            + "port: " + port + "\n"
            + "scheduler: round-robin\n"
            + "admin-port: 0\n"
            + "heartbeat-timeout: 20s\n");
    Path log = tmp.resolve("master.log");
    master =
        DroverScript.startMaster(
            new ProcessBuilder(DroverScript.DROVER.toString(), "master", "--config", config.toString(), "--workers", "1"), log);
    JsonNode status = status(DroverScript.adminAddress(log));
    assertThat(status.at("/master/scheduler").asText()).isEqualTo("round-robin");
    assertThat(status.at("/workers").size()).as("--workers 1 overrides the file's 3").isEqualTo(1);
    assertThat(status.at("/master/listen").toString()).contains(":" + port);

    // The same file and flag, shown: values and where they came from.
    DroverScript.Result shown = DroverScript.run(tmp, "config", "show", "--config", config.toString(), "--workers", "1");
    assertThat(shown.exitCode()).as(shown.stderr()).isZero();
    assertThat(shown.stdout().lines())
        .anyMatch(l -> l.matches("workers +1 +command line, over " + Pattern.quote(config + ":1")))
        .anyMatch(l -> l.matches("heartbeat-timeout +20 s +" + Pattern.quote(config + ":5")));
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(master.pid())).start();
    assertThat(kill.waitFor(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static JsonNode status(String admin) throws Exception {
    HttpResponse<String> r =
        HTTP
            .send(
                HttpRequest.newBuilder(URI.create("http://" + admin + "/status")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void sighupReloadsTheFileAndAnInvalidFileChangesNothing() throws Exception {
    Path config = tmp.resolve("drover.yaml");
    Files.writeString(config, "workers: 1\nscheduler: round-robin\nadmin-port: 0\nport: 0\n");
    Path log = tmp.resolve("master.log");
    master = DroverScript.startMasterWithConfig(config, log);
    String admin = DroverScript.adminAddress(log);

    Files.writeString(config, "workers: 2\nscheduler: p2c\nadmin-port: 0\nport: 0\n");
    signal("HUP");
    org.awaitility.Awaitility.await("the reload")
        .atMost(Duration.ofMinutes(2))
        .until(() -> Files.readString(log).contains("reloaded (generation 2)"));
    assertThat(Files.readString(log)).contains("scheduler: round-robin -> p2c").contains("workers: 1 -> 2");
    org.awaitility.Awaitility.await("two workers")
        .atMost(Duration.ofMinutes(2))
        .until(() -> status(admin).at("/workers").size() == 2 && status(admin).at("/master/scheduler").asText().equals("p2c"));
    List<Long> pids = master.descendants().map(ProcessHandle::pid).toList();

    Files.writeString(config, "workers: 3\nscheduler: fastest\n");
    signal("HUP");
    org.awaitility.Awaitility.await("the refusal")
        .atMost(Duration.ofMinutes(2))
        .until(() -> Files.readString(log).contains("reload refused, settings unchanged (generation 2)"));
    assertThat(Files.readString(log)).contains(config + ":2: scheduler: 'fastest'");
    assertThat(master.isAlive()).isTrue();
    assertThat(status(admin).at("/workers").size()).isEqualTo(2);
    assertThat(master.descendants().map(ProcessHandle::pid).toList()).containsExactlyInAnyOrderElementsOf(pids);
  }

  @Test
  void aMasterGivenAnInvalidFileStartsNothingAndSaysWhereTheProblemsAre() throws Exception {
    Path config = tmp.resolve("bad.yaml");
    Files.writeString(config, "workers: 1\nmax-queue-tasks: 10\nheartbeat-timeout: soon\n");
    DroverScript.Result r = DroverScript.run(tmp, "master", "--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().lines().toList())
        .isEqualTo(
            List.of(
                "drover master: " + config + ":2: max-queue-tasks is not a setting (did you mean max-queued-tasks?)",
                "drover master: " + config
                    + ":3: heartbeat-timeout: soon (expected: a number of seconds or a duration such as 500ms, 30s, 5m)"));
    assertThat(r.stdout()).doesNotContain("listening");

    DroverScript.Result check = DroverScript.run(tmp, "config", "check", config.toString());
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.stderr()).contains(config + ":2: max-queue-tasks is not a setting");
  }
}
