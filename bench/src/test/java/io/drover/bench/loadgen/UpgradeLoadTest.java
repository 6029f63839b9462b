package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator through a real {@code drover upgrade}: a master started by {@code
 * scripts/drover} (the master module is built before this one), an open loop running while the
 * new master takes the sockets over; the old master's GOAWAY moves the generator's connections and
 * no task fails. Here rather than in the master module, whose tests run before this module's jar
 * exists.
 */
class UpgradeLoadTest {
  /** One client for every request: one per request would leave idle connections to the admin port's limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path DROVER = Path.of("..", "scripts", "drover").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void stop() {
    for (ProcessHandle p : started) {
      p.destroy(); // SIGTERM: a master stops its workers
    }
    for (ProcessHandle p : started) {
      try {
        p.onExit().get(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static JsonNode status(String admin) throws IOException, InterruptedException {
    return JSON.readTree(
        HTTP
            .send(HttpRequest.newBuilder(URI.create("http://" + admin + "/status")).build(), HttpResponse.BodyHandlers.ofString())
            .body());
  }

  @Test
  void theGeneratorLosesNoTaskWhileTheMasterIsUpgraded() throws Exception {
    int port = freePort();
    Path log = tmp.resolve("master.log");
    Process master =
        new ProcessBuilder(DROVER.toString(), "master", "--workers", "1", "--port", Integer.toString(port), "--admin-port", "0")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(master.toHandle());
    await("master serving").atMost(Duration.ofMinutes(3)).until(() -> !master.isAlive() || Files.readString(log).contains("Drover master listening on"));
    assertThat(master.isAlive()).as(Files.readString(log)).isTrue();
    Matcher m = Pattern.compile("admin endpoint at http://([\\d.]+:\\d+)").matcher(Files.readString(log));
    assertThat(m.find()).isTrue();
    String admin = m.group(1);

    // Open loop, 400 tasks/s on 2 connections for 30 s: long enough to span the upgrade.
    LoadSettings settings = new LoadSettings("127.0.0.1", port, "echo", 64, 30, 0, 2, 64, 400, 30, false, 100);
    CompletableFuture<LoadReport> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new LoadGenerator(settings).run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    await("tasks through the old master").atMost(Duration.ofMinutes(1)).until(() -> status(admin).at("/tasks/completed/OK").asLong() > 200);

    Path out = tmp.resolve("upgrade.out");
    Process upgrade =
        new ProcessBuilder(DROVER.toString(), "upgrade", "--admin", admin).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(upgrade.waitFor(4, TimeUnit.MINUTES)).isTrue();
    assertThat(upgrade.exitValue()).as(Files.readString(out)).isZero();
    long newPid = status(admin).at("/master/pid").asLong();
    started.add(ProcessHandle.of(newPid).orElseThrow());
    assertThat(newPid).isNotEqualTo(master.pid());
    assertThat(master.waitFor(2, TimeUnit.MINUTES)).as("the old master exited").isTrue();

    LoadReport report = run.get(3, TimeUnit.MINUTES);
    assertThat(report.errorsByStatus()).as("errors").isEmpty();
    assertThat(report.connectionFailures()).isEmpty();
    assertThat(report.reconnects()).as("connections moved to the new master").isPositive();
    assertThat(report.ok()).isPositive();
    assertThat(report.exitCode()).isZero();
    assertThat(status(admin).at("/tasks/completed/OK").asLong()).as("tasks answered by the new master").isPositive();
  }
}
