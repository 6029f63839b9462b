package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.master.internal.auth.TokenHash;
import io.drover.master.testing.DroverScript;
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
    BenchCommandLine run =
        BenchCommandLine.run("bench", "--port", Integer.toString(port), "--token-file", tokenFile.toString(), "--duration", "1", "--warmup", "0",
            "--connections", "2", "--concurrency", "8", "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertThat(report.get("ok").asLong()).as(run.out()).isPositive();
    assertThat(report.get("errors").asLong()).as(run.out()).isZero();

    BenchCommandLine none = BenchCommandLine.run("bench", "--port", Integer.toString(port), "--duration", "1", "--warmup", "0", "--connections", "1", "--concurrency", "1");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).contains("answered UNAUTHENTICATED: it has tenants; give a token with --token-file or DROVER_TOKEN");

    Path wrong = Files.writeString(tmp.resolve("wrong"), "not-the-token");
    BenchCommandLine refused = BenchCommandLine.run("bench", "--port", Integer.toString(port), "--token-file", wrong.toString(), "--duration", "1", "--warmup", "0");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("refused the client's token: unknown token");
    assertThat(Files.readString(tmp.resolve("master.log"))).doesNotContain(token).doesNotContain("not-the-token");
  }
}
