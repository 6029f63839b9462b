package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover bench} over TLS: its command line (run in this JVM: the bench jar does not exist
 * while this module's tests run) against a master started by {@code scripts/drover} with a
 * certificate from a test CA, trusting that CA with {@code --tls-ca}; and without it, a clear
 * failure.
 */
class TlsLoadTest {
  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stop() throws InterruptedException {
    if (master != null) {
      DroverScript.destroyWithDescendants(master);
    }
  }

  @Test
  void theLoadGeneratorRunsOverTlsTrustingTheGivenCa() throws Exception {
    TestCertificates certs = TestCertificates.in(tmp);
    certs.server("server", "drover-test-server");
    int port = DroverScript.freePort();
    master =
        DroverScript.startMaster(
            new ProcessBuilder(
                DroverScript.DROVER.toString(), "master", "--port", Integer.toString(port), "--admin-port", "0", "--workers", "1",
                "--tls-cert", certs.file("server.pem"), "--tls-key", certs.file("server.key")),
            tmp.resolve("master.log"));
    BenchCommandLine run =
        BenchCommandLine.run("bench", "--port", Integer.toString(port), "--tls-ca", certs.ca().toString(), "--duration", "1", "--warmup", "0",
            "--connections", "2", "--concurrency", "8", "--json");
    assertThat(run.exitCode()).as(run.out()).isZero();
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertThat(report.get("ok").asLong()).as(run.out()).isPositive();
    assertThat(report.get("errors").asLong()).as(run.out()).isZero();

    // The same master, without --tls-ca: the JDK's CAs do not know the test CA.
    BenchCommandLine untrusted =
        BenchCommandLine.run("bench", "--port", Integer.toString(port), "--tls", "--duration", "1", "--warmup", "0", "--connections", "1", "--concurrency", "1");
    assertThat(untrusted.exitCode()).isEqualTo(1);
  }
}
