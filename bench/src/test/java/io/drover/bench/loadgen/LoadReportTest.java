package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadReportTest {
  private static LoadSettings settings(double rate) {
    return new LoadSettings("127.0.0.1", 7070, "echo", 64, 10, 3, 4, 512, rate, 30, false, 100);
  }

  private static LoadReport report(double rate) {
    LoadRecorder recorder = new LoadRecorder();
    recorder.startWindow(0);
    recorder.onSent(1, 10);
    recorder.onReply(0, 50_000, 0);
    recorder.onReply(0, 150_000, 0);
    recorder.onReply(0, 10, 6);
    recorder.endWindow(2_000_000_000L);
    return LoadReport.of(settings(rate), recorder, List.of(), 0, 1_000_000_000L, 1_500_000_000L);
  }

  @Test
  void jsonIsOneObjectWithTheDocumentedKeys() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report(0).toJson());

    assertThat(json.isObject()).isTrue();
    assertThat(json.fieldNames())
        .toIterable()
        .contains(
            "tasks_per_s", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "ok", "errors",
            "errors_by_status", "mode", "connections", "concurrency", "rate", "payload_bytes",
            "duration_s", "type");
    assertThat(json.get("mode").asText()).isEqualTo("closed");
    assertThat(json.get("tasks_per_s").asDouble()).isEqualTo(1.5);
    assertThat(json.get("ok").asLong()).isEqualTo(2);
    assertThat(json.get("errors").asLong()).isEqualTo(1);
    assertThat(json.get("errors_by_status").get("OVERLOADED").asLong()).isEqualTo(1);
    assertThat(json.get("p50_us").asDouble()).isBetween(49.9, 50.1);
    assertThat(json.get("max_us").asDouble()).isBetween(149.9, 150.1);
    assertThat(json.get("generator_loop_cpu_pct").asDouble()).isEqualTo(50.0);
    assertThat(json.has("sent_per_s")).isFalse();
  }

  @Test
  void openLoopJsonSaysWhetherTheGeneratorKeptUp() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report(1000).toJson());

    assertThat(json.get("mode").asText()).isEqualTo("open");
    assertThat(json.get("rate").asDouble()).isEqualTo(1000.0);
    assertThat(json.get("sent_per_s").asDouble()).isEqualTo(0.5);
    assertThat(json.get("generator_kept_up").asBoolean()).isFalse();
  }

  @Test
  void exitCodeIsOneWhenAnyTaskFailed() {
    assertThat(report(0).exitCode()).isEqualTo(1);
  }

  @Test
  void textNamesThroughputPercentilesAndErrors() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report(0).printText(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("tasks/s", "p50", "p99.9", "OVERLOADED=1");
  }
}
