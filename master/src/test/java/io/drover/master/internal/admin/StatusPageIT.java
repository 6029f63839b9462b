package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.master.DroverMaster;
import io.drover.master.testing.HeadlessChromium;
import io.drover.master.testing.TestMasters;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a real master with real worker processes, in a real headless browser
 * (Debian's chromium, installed by {@code .ci/install-chromium}). Screenshots go to {@code
 * master/target/status-page*.png}.
 */
class StatusPageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Path TARGET = Path.of("target");
  /** What the page shows, read from its DOM: worker rows, transition rows, the connection state. */
  private static final String READ_PAGE =
      """
      ({
        workers: Array.from(document.querySelectorAll('#workers-body tr[data-worker-id]')).map(r => ({
          id: +r.dataset.workerId, pid: r.cells[1].textContent, state: r.cells[2].textContent,
          restarts: +r.cells[4].textContent, lastExit: r.cells[5].textContent })),
        transitions: Array.from(document.querySelectorAll('#transitions-body tr[data-worker-id]')).map(r => ({
          id: +r.dataset.workerId, pid: r.cells[2].textContent, change: r.cells[3].textContent, reason: r.cells[4].textContent })),
        state: document.getElementById('state').textContent,
        connection: document.getElementById('conn-text').textContent,
        disconnected: document.body.classList.contains('disconnected'),
        banner: document.getElementById('banner').textContent,
        facts: document.getElementById('facts').textContent,
        throughputLines: document.querySelectorAll('#c-rate path.line').length,
        latencyLines: document.querySelectorAll('#c-lat path.line').length,
        latencyNote: document.getElementById('c-lat-note').textContent
      })
      """;

  private DroverMaster master;
  private HeadlessChromium chromium;
  @TempDir Path tmp;

  @AfterEach
  void stop() throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (master != null) {
        master.close();
      }
    }
  }

  @Test
  void pageIsServedAsHtmlWithCachingRulesAndAPolicyThatForbidsOtherSources() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).build());
    HttpResponse<String> page = get(master.adminAddress(), "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("cache-control")).contains("no-cache");
    assertThat(page.headers().firstValue("x-content-type-options")).contains("nosniff");
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .startsWith("default-src 'none'; ")
        .contains("connect-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(page.body()).startsWith("<!doctype html>").contains("<title>Drover status</title>");

    await("a second sample").atMost(Duration.ofSeconds(60)).until(() -> history(master.adminAddress(), "").at("/samples").size() >= 2);
    JsonNode h = history(master.adminAddress(), "");
    assertThat(h.at("/intervalSeconds").asDouble()).isEqualTo(1.0);
    assertThat(h.at("/capacity").asInt()).isEqualTo(300);
    JsonNode first = h.at("/samples/0");
    for (String field : List.of("atMillis", "seconds", "completed", "tasksPerSecond", "waiting", "inFlight", "workersReady", "runP50Seconds", "runP99Seconds", "waitP50Seconds", "waitP99Seconds")) {
      assertThat(first.has(field)).as(field).isTrue();
    }
    long last = h.at("/samples").get(h.at("/samples").size() - 1).at("/atMillis").asLong();
    assertThat(history(master.adminAddress(), "?after=" + last).at("/samples").size()).as("nothing after the newest").isZero();
    HttpResponse<String> bad = get(master.adminAddress(), "/status/history?after=yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("after: yesterday (expected: milliseconds since the epoch)\n");
  }

  @Test
  void pageShowsTheRunningWorkersThenAKilledWorkersRestartThenThatTheMasterIsGone() throws Exception {
    assumeTrue(HeadlessChromium.installed(), "chromium is not installed (/usr/bin/chromium): .ci/install-chromium installs it");
    master = DroverMaster.start(TestMasters.config(2).build());
    InetSocketAddress admin = master.adminAddress();
    // Tasks in at least two consecutive seconds of the history, so that each chart has a line to
    // draw (one busy second is one point, drawn as a dot): batches until the history says so.
    JsonNode sampled =
        await("two consecutive samples that count tasks")
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> {
                  runTasks(500);
                  return history(admin, "");
                },
                h -> consecutiveBusySamples(h) >= 2);
    assertThat(sampled.at("/latencyHistograms").asBoolean()).isTrue();
    JsonNode busy = null;
    for (JsonNode sample : sampled.at("/samples")) {
      if (sample.at("/completed").asLong() > 0) {
        busy = sample;
      }
    }
    // Estimates from bucket counts: within the histogram's range, and p50 <= p99.
    assertThat(busy.at("/runP50Seconds").isNumber()).as("run p50 of %s", busy).isTrue();
    assertThat(busy.at("/runP50Seconds").asDouble()).isBetween(0.0, busy.at("/runP99Seconds").asDouble());
    assertThat(busy.at("/runP99Seconds").asDouble()).isBetween(0.0, 60.0);
    assertThat(busy.at("/waitP99Seconds").isNumber()).isTrue();

    chromium = HeadlessChromium.start(tmp, 1280, 1000);
    chromium.navigate("http://127.0.0.1:" + admin.getPort() + "/");
    Set<String> pids = new HashSet<>();
    master.workerPids().forEach(p -> pids.add(Long.toString(p)));
    JsonNode shown =
        await("both workers READY with their pids, and the charts drawn")
            .atMost(Duration.ofSeconds(60))
            // The page reads /status and /status/history apart: the charts may come a poll later.
            .until(
                this::page,
                p ->
                    p.at("/workers").size() == 2
                        && pidsOf(p).equals(pids)
                        && states(p).equals(List.of("READY", "READY"))
                        && p.at("/throughputLines").asInt() > 0
                        && p.at("/latencyLines").asInt() >= 2);
    assertThat(shown.at("/state").asText()).isEqualTo("RUNNING");
    assertThat(shown.at("/connection").asText()).startsWith("live");
    assertThat(shown.at("/disconnected").asBoolean()).isFalse();
    assertThat(shown.at("/facts").asText()).contains("pid " + ProcessHandle.current().pid()).contains("clients 127.0.0.1:" + master.clientAddress().getPort());
    assertThat(shown.at("/throughputLines").asInt()).as("the throughput chart has a line").isPositive();
    assertThat(shown.at("/latencyLines").asInt()).as("the latency chart has p50 and p99 lines").isGreaterThanOrEqualTo(2);
    assertThat(shown.at("/latencyNote").asText()).contains("estimates from histogram buckets");
    assertThat(shown.at("/workers/0/restarts").asInt()).isZero();
    assertThat(shown.at("/transitions").findValuesAsText("change")).contains("STARTING→READY");
    chromium.screenshot(TARGET.resolve("status-page.png"));

    String victim = shown.at("/workers/1/pid").asText();
    new ProcessBuilder("kill", "-9", victim).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    // The same page, not reloaded: it notices by itself.
    JsonNode restarted =
        await("worker 2 restarted on the page")
            .atMost(Duration.ofSeconds(90))
            .until(
                this::page,
                p -> p.at("/workers/1/restarts").asInt() == 1
                    && p.at("/workers/1/state").asText().equals("READY")
                    && !p.at("/workers/1/pid").asText().equals(victim));
    assertThat(restarted.at("/workers/1/lastExit").asText()).isEqualTo("exited unexpectedly (killed by signal 9)");
    assertThat(restarted.at("/workers/0/pid").asText()).isEqualTo(shown.at("/workers/0/pid").asText());
    assertThat(ProcessHandle.of(Long.parseLong(restarted.at("/workers/1/pid").asText()))).isPresent();
    List<JsonNode> crash = new ArrayList<>();
    restarted.at("/transitions").forEach(t -> {
      if (t.at("/id").asInt() == 2 && t.at("/pid").asText().equals(victim) && t.at("/change").asText().startsWith("READY→")) {
        crash.add(t);
      }
    });
    assertThat(crash).as("worker 2's crash among %s", restarted.at("/transitions")).hasSize(1);
    assertThat(crash.get(0).at("/reason").asText()).startsWith("exited unexpectedly (killed by signal 9)");
    chromium.screenshot(TARGET.resolve("status-page-restarted.png"));
    // Hovering over a chart shows the values of the sample under the pointer, with its time.
    JsonNode box = chromium.evaluate("(() => { const r = document.getElementById('c-rate').getBoundingClientRect(); return {x: r.right - 20, y: r.top + r.height / 2}; })()");
    chromium.mouseMove(box.at("/x").asDouble(), box.at("/y").asDouble());
    await("the hovered sample's time in the throughput chart's head")
        .atMost(Duration.ofSeconds(30))
        .until(() -> chromium.evaluate("document.getElementById('c-rate-now').textContent").asText(), t -> t.matches("\\d\\d:\\d\\d:\\d\\d .*tasks/s"));
    assertThat(chromium.evaluate("document.querySelectorAll('#c-rate line.guide').length").asInt()).isEqualTo(1);
    chromium.mouseMove(0, 0);
    chromium.colorScheme("dark");
    chromium.screenshot(TARGET.resolve("status-page-dark.png"));
    chromium.colorScheme("light");
    assertThat(chromium.problems()).as("errors the page reported while the master ran").isEmpty();

    master.close();
    master = null;
    JsonNode gone =
        await("the page says it is disconnected").atMost(Duration.ofSeconds(60)).until(this::page, p -> p.at("/disconnected").asBoolean());
    assertThat(gone.at("/connection").asText()).isEqualTo("disconnected");
    assertThat(gone.at("/state").asText()).isEqualTo("UNREACHABLE");
    assertThat(gone.at("/banner").asText()).startsWith("Disconnected from the master since ").contains("Retrying every second");
    assertThat(gone.at("/workers").size()).as("the last figures stay").isEqualTo(2);
    chromium.screenshot(TARGET.resolve("status-page-disconnected.png"));
  }

  private JsonNode page() throws Exception {
    return chromium.evaluate(READ_PAGE);
  }

  private static Set<String> pidsOf(JsonNode page) {
    Set<String> pids = new HashSet<>();
    page.at("/workers").forEach(w -> pids.add(w.at("/pid").asText()));
    return pids;
  }

  private static List<String> states(JsonNode page) {
    return page.at("/workers").findValuesAsText("state");
  }

  /** The longest run of consecutive history samples with completed tasks. */
  private static int consecutiveBusySamples(JsonNode history) {
    int best = 0;
    int run = 0;
    for (JsonNode sample : history.at("/samples")) {
      run = sample.at("/completed").asLong() > 0 ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  }

  private void runTasks(int n) throws Exception {
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      List<CompletableFuture<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(client.submit("echo", ("t" + i).getBytes(StandardCharsets.UTF_8)));
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(InetSocketAddress admin, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode history(InetSocketAddress admin, String query) throws Exception {
    HttpResponse<String> r = get(admin, "/status/history" + query);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
