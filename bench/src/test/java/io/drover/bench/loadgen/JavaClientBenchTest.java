package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.bench.RunningMaster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover bench --client java} against a real master: a short closed-loop run through the
 * Java client completes tasks, reports them in the load generator's JSON fields, and has no
 * errors.
 */
class JavaClientBenchTest {
  @TempDir Path tmp;

  @Test
  void aShortRunThroughTheJavaClientCountsTasksAndNoErrors() throws Exception {
    try (RunningMaster master = RunningMaster.start(tmp, "--workers", "1")) {
      BenchCommandLine run =
          BenchCommandLine.run(
              "bench", "--client", "java", "--port", Integer.toString(master.port()), "--duration", "1",
              "--warmup", "0.2", "--connections", "2", "--concurrency", "64", "--json");
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      JsonNode report = new ObjectMapper().readTree(run.out());
      assertThat(report.get("client").asText()).isEqualTo("java");
      assertThat(report.get("connections").asInt()).isEqualTo(2);
      assertThat(report.get("concurrency").asInt()).isEqualTo(64);
      assertThat(report.get("ok").asLong()).as(run.out()).isPositive();
      assertThat(report.get("tasks_per_s").asDouble()).as(run.out()).isPositive();
      assertThat(report.get("errors").asLong()).as(run.out()).isZero();
    }
  }

  @Test
  void theJavaClientRefusesOpenLoopOptions() {
    BenchCommandLine run = BenchCommandLine.run("bench", "--client", "java", "--rate", "1000");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--client java: closed loop against a master only");
  }
}
