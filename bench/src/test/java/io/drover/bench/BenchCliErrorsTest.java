package io.drover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The bench jar's verbs answer mistakes and failures like drover's: one line, exit 2 or 1. */
class BenchCliErrorsTest {
  private record Outcome(int exitCode, String stderr) {}

  private static Outcome run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return new Outcome(BenchCli.run(args), captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "drover bench: --port: 99999 (expected: 1..65535)|bench --port 99999",
        "drover bench: --duration: 0 (expected: > 0)|bench --duration 0",
        "drover bench: --connections: abc (expected: an integer)|bench --connections abc",
        "drover bench: --bogus: unknown option|bench --bogus",
        "drover bench-jobs: --subtasks: 0 (expected: >= 1)|bench-jobs --subtasks 0",
        "drover bench-jobs: --port: 99999 (expected: 1-65535)|bench-jobs --port 99999",
        "drover baseline-relay: --port: 99999 (expected: 0..65535)|baseline-relay --port 99999",
        "drover baseline-relay: --backends: 0 (expected: > 0)|baseline-relay --backends 0",
      })
  void aUsageErrorIsOneLineWithExitCode2(String line, String args) {
    Outcome o = run(args.split(" "));
    assertThat(o.exitCode()).as(o.stderr()).isEqualTo(2);
    assertThat(o.stderr().lines().toList()).hasSize(1);
    assertThat(o.stderr()).startsWith(line).doesNotContain("Exception");
  }

  @Test
  void nothingListeningIsOneLineWithExitCode1() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    for (String verb : new String[] {"bench", "bench-jobs"}) {
      Outcome o = run(verb, "--port", Integer.toString(port), "--duration", "1", "--warmup", "0");
      assertThat(o.exitCode()).as(o.stderr()).isEqualTo(1);
      assertThat(o.stderr().lines().toList()).hasSize(1);
      assertThat(o.stderr())
          .startsWith("drover " + verb + ": cannot connect to ")
          .contains("127.0.0.1:" + port + ": nothing is listening there (connection refused)")
          .doesNotContain("Exception");
    }
  }
}
