package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskStatus;
import io.drover.master.testing.PrometheusText;
import io.drover.master.testing.RawClient;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.master.testing.TestMasters;
import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real master runs tasks of known types and outcomes from several connections; its {@code GET
 * /metrics}, read over HTTP from its admin port, must count exactly what the clients were answered
 * (and the frames and bytes a raw client exchanged), agree with {@code /status}, and be valid for
 * {@code promtool check metrics} (installed by .ci/install-promtool, which .ci/run calls before
 * Maven).
 */
class MetricsIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static DroverMaster master;
  /** What the clients were answered: "type status" -> count. */
  private static final Map<String, LongAdder> answered = new ConcurrentHashMap<>();

  @BeforeAll
  static void runTasks() throws Exception {
    master = TestMasters.start(2);
    List<DroverClient> clients = new ArrayList<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    try {
      for (int c = 0; c < 3; c++) {
        clients.add(DroverClient.connect("127.0.0.1", master.clientAddress().getPort()));
      }
      for (int i = 0; i < 600; i++) {
        DroverClient client = clients.get(i % clients.size());
        String type = switch (i % 4) {
          case 0, 1 -> "echo";
          case 2 -> "sha256";
          default -> i % 8 == 3 ? "sleep" : "no-such-type";
        };
        // "sleep" with a payload that is not a number fails in the handler: HANDLER_ERROR
        byte[] payload = (type.equals("sleep") ? "x" : "task " + i).getBytes(StandardCharsets.UTF_8);
        all.add(
            client.submit(type, payload)
                .handle((r, e) -> {
                  answered.computeIfAbsent(type + " " + statusOf(e), k -> new LongAdder()).increment();
                  return null;
                }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    } finally {
      clients.forEach(DroverClient::close);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> master.tasksInProgress() == 0);
    exchangeKnownFrames();
  }

  /** Frames and bytes a raw client sent and read, and the scrape's counters before and after. */
  private static long rawFrames;
  private static long rawBytesSent;
  private static long rawBytesRead;
  private static Map<String, Double> trafficBefore;
  private static Map<String, Double> trafficAfter;

  /**
   * With no other client connected, a raw client sends frames whose bytes it counts: a small and a
   * large echo (the large result goes back as a slice of its own), a PING and a malformed frame,
   * and reads their four answers.
   */
  private static void exchangeKnownFrames() throws IOException {
    trafficBefore = samples(scrape(null));
    io.netty.buffer.ByteBuf frames = io.netty.buffer.Unpooled.buffer();
    byte[] echo = "echo".getBytes(StandardCharsets.UTF_8);
    RequestHeaderCodec.writeFrame(frames, RequestHeaderCodec.KIND_SUBMIT, 1, echo, "small".getBytes(StandardCharsets.UTF_8));
    RequestHeaderCodec.writeFrame(frames, RequestHeaderCodec.KIND_SUBMIT, 2, echo, new byte[10_000]);
    RequestHeaderCodec.writeFrame(frames, RequestHeaderCodec.KIND_PING, 3, new byte[0], new byte[0]);
    frames.writeBytes(new byte[] {2, (byte) 0xFF, (byte) 0xFF}); // a header that does not decode
    byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(frames);
    try (RawClient raw = new RawClient(master.clientAddress())) {
      raw.write(bytes);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(raw.read().status());
      }
      assertThat(statuses).containsOnly(Status.OK_VALUE, Status.MALFORMED_FRAME_VALUE);
      rawFrames = 4;
      rawBytesSent = bytes.length;
      rawBytesRead = raw.bytesRead();
    }
    answered.get("echo OK").add(2);
    trafficAfter = samples(scrape(null));
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  private static TaskStatus statusOf(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (t == null) {
      return TaskStatus.OK;
    }
    if (t instanceof DroverTaskException d) {
      return d.status();
    }
    throw new AssertionError("unexpected failure", t);
  }

  @Test
  void countersEqualWhatTheClientsWereAnswered() {
    assertThat(answered.keySet())
        .containsExactlyInAnyOrder("echo OK", "sha256 OK", "sleep HANDLER_ERROR", "no-such-type UNKNOWN_TASK_TYPE");
    Map<String, Double> m = samples(scrape(null));
    for (String type : List.of("echo", "sha256", "sleep")) {
      String status = type.equals("sleep") ? "HANDLER_ERROR" : "OK";
      double n = answered.get(type + " " + status).sum();
      assertThat(m)
          .containsEntry("drover_tasks_submitted_total{type=\"" + type + "\"}", n)
          .containsEntry("drover_tasks_completed_total{status=\"" + status + "\",type=\"" + type + "\"}", n)
          .containsEntry("drover_task_queue_wait_seconds_count{type=\"" + type + "\"}", n)
          .containsEntry("drover_task_run_seconds_count{type=\"" + type + "\"}", n);
    }
    assertThat(m)
        .containsEntry(
            "drover_tasks_refused_total{status=\"UNKNOWN_TASK_TYPE\"}",
            (double) answered.get("no-such-type UNKNOWN_TASK_TYPE").sum())
        .containsEntry("drover_tasks_waiting", 0.0)
        .containsEntry("drover_tasks_in_flight", 0.0)
        .containsEntry("drover_workers{state=\"READY\"}", 2.0)
        .containsEntry("drover_worker_restarts_total{reason=\"crash\"}", 0.0)
        .containsEntry("drover_client_connections_accepted_total", 4.0) // 3 clients and the raw one
        .containsKeys("drover_worker_in_flight{worker=\"1\"}", "drover_worker_in_flight{worker=\"2\"}");
    assertThat(m.keySet()).noneMatch(k -> k.contains("no-such-type"));
    assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_threads_current"));
  }

  @Test
  void clientFramesAndBytesAreCountedBothWays() {
    assertThat(delta("drover_client_received_frames_total")).isEqualTo(rawFrames);
    assertThat(delta("drover_client_sent_frames_total")).isEqualTo(rawFrames);
    assertThat(delta("drover_client_received_bytes_total")).isEqualTo(rawBytesSent);
    assertThat(delta("drover_client_sent_bytes_total")).isEqualTo(rawBytesRead);
    // and the load of the DroverClients before: at least a frame each way per task
    assertThat(trafficBefore.get("drover_client_received_frames_total")).isGreaterThanOrEqualTo(600.0);
    assertThat(trafficBefore.get("drover_client_sent_frames_total")).isGreaterThanOrEqualTo(600.0);
  }

  private static long delta(String counter) {
    return (long) (trafficAfter.get(counter) - trafficBefore.get(counter));
  }

  @Test
  void aWorkerKilledBySignal9CountsAsACrashRestartAndItsSlotIsReadyAgain() throws Exception {
    try (DroverMaster one = TestMasters.start(1)) {
      long victim = one.workerPids().get(0);
      new ProcessBuilder("kill", "-9", Long.toString(victim)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
      await("the restart counted and the slot ready again")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> samples(scrape(one, null)),
              m -> m.get("drover_worker_restarts_total{reason=\"crash\"}") == 1.0
                  && m.get("drover_workers{state=\"READY\"}") == 1.0);
      Map<String, Double> m = samples(scrape(one, null));
      assertThat(m)
          .containsEntry("drover_worker_restarts_total{reason=\"hung\"}", 0.0)
          .containsEntry("drover_worker_restarts_total{reason=\"recycled\"}", 0.0)
          .containsKey("drover_worker_in_flight{worker=\"1\"}");
      assertThat(one.workerPids()).doesNotContain(victim);
    }
  }

  @Test
  void statusShowsTheSameCountersAddedUp() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.adminAddress().getPort() + "/status")).build(),
            HttpResponse.BodyHandlers.ofString());
    com.fasterxml.jackson.databind.JsonNode tasks = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).at("/tasks");
    long ok = answered.get("echo OK").sum() + answered.get("sha256 OK").sum();
    assertThat(tasks.at("/submitted").asLong()).isEqualTo(600 + 2); // the raw client's two echoes
    assertThat(tasks.at("/completed/OK").asLong()).isEqualTo(ok);
    assertThat(tasks.at("/completed/HANDLER_ERROR").asLong()).isEqualTo(answered.get("sleep HANDLER_ERROR").sum());
    assertThat(tasks.at("/completed/UNKNOWN_TASK_TYPE").asLong()).isEqualTo(answered.get("no-such-type UNKNOWN_TASK_TYPE").sum());
    assertThat(tasks.at("/completed").size()).isEqualTo(3);
    assertThat(tasks.at("/dropped").asLong()).isZero();
  }

  @Test
  void theTextFormatPassesPromtool() throws Exception {
    Assumptions.assumeTrue(
        promtoolFound(),
        "promtool not found: run .ci/install-promtool (apt-get install prometheus, as root) to check the format");
    checkWithPromtool(scrape(null));
  }

  @Test
  void openMetricsWhenAsked() {
    // promtool check metrics reads only the Prometheus text format; this checks the frame of it.
    Scrape r = scrape("application/openmetrics-text; version=1.0.0");
    assertThat(r.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(text).contains("# TYPE drover_tasks_submitted counter").endsWith("# EOF\n");
    assertThat(PrometheusText.samples(r.body()))
        .containsEntry(
            "drover_tasks_submitted_total{type=\"echo\"}", (double) answered.get("echo OK").sum());
  }

  private static void checkWithPromtool(Scrape r) throws Exception {
    Path file = Files.createTempFile("metrics", ".txt");
    try {
      Files.write(file, r.body());
      Process p =
          new ProcessBuilder("promtool", "check", "metrics")
              .redirectInput(file.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("promtool check metrics (%s): %s", r.contentType(), out).isZero();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static boolean promtoolFound() {
    try {
      Process p = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** An answer of GET /metrics: its content type and body. */
  record Scrape(String contentType, byte[] body) {}

  /** GET /metrics from the master's admin endpoint, with {@code accept} as Accept unless null. */
  private static Scrape scrape(String accept) {
    return scrape(master, accept);
  }

  private static Scrape scrape(DroverMaster of, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + of.adminAddress().getPort() + "/metrics"))
            .timeout(Duration.ofSeconds(30));
    if (accept != null) {
      request.header("Accept", accept);
    }
    try {
      HttpResponse<byte[]> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      return new Scrape(r.headers().firstValue("content-type").orElse(""), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Map<String, Double> samples(Scrape r) {
    return PrometheusText.samples(r.body());
  }
}
