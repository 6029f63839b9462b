package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.bench.BenchCli;
import io.drover.master.internal.auth.TokenHash;
import io.drover.master.testing.DroverScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover bench} against a master with tenants: its command line (run in this JVM: the bench
 * jar does not exist while this module's tests run) authenticates each connection with the token
 * of {@code --token-file}; without a token, or with a wrong one, it stops at once with the reason
 * instead of reconnecting to be refused again.
 */
class TokenLoadTest {
  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stop() throws InterruptedException {
    if (master != null) {
      DroverScript.destroyWithDescendants(master);
    }
  }

  /** Runs {@code drover bench args...} here; returns its exit code, what it printed and its errors. */
  private static String[] bench(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
      code = BenchCli.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {Integer.toString(code), captured.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void theLoadGeneratorAuthenticatesEachConnectionAndStopsAtARefusal() throws Exception {
    String token = TokenHash.newToken();
    Path tokenFile = Files.writeString(tmp.resolve("token"), token + "\n");
    Path config =
        Files.writeString(
            tmp.resolve("drover.yaml"),
            "workers: 1\nadmin-port: 0\ntenants:\n  - name: bench\n    token-sha256: " + TokenHash.hex(token) + "\n");
    int port = DroverScript.freePort();
    master =
        DroverScript.startMaster(
            new ProcessBuilder(
                DroverScript.DROVER.toString(), "master", "--config", config.toString(), "--port", Integer.toString(port)),
            tmp.resolve("master.log"));
    String[] run =
        bench("bench", "--port", Integer.toString(port), "--token-file", tokenFile.toString(), "--duration", "1", "--warmup", "0",
            "--connections", "2", "--concurrency", "8", "--json");
    assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
    JsonNode report = new ObjectMapper().readTree(run[1]);
    assertThat(report.get("ok").asLong()).as(run[1]).isPositive();
    assertThat(report.get("errors").asLong()).as(run[1]).isZero();

    String[] none = bench("bench", "--port", Integer.toString(port), "--duration", "1", "--warmup", "0", "--connections", "1", "--concurrency", "1");
    assertThat(none[0]).isEqualTo("1");
    assertThat(none[2]).contains("answered UNAUTHENTICATED: it has tenants; give a token with --token-file or DROVER_TOKEN");

    Path wrong = Files.writeString(tmp.resolve("wrong"), "not-the-token");
    String[] refused = bench("bench", "--port", Integer.toString(port), "--token-file", wrong.toString(), "--duration", "1", "--warmup", "0");
    assertThat(refused[0]).isEqualTo("1");
    assertThat(refused[2]).contains("refused the client's token: unknown token");
    assertThat(Files.readString(tmp.resolve("master.log"))).doesNotContain(token).doesNotContain("not-the-token");
  }
}
