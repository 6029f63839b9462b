package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverConnectionException;
import io.drover.client.DroverTls;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.TestCertificates;
import io.drover.master.testing.TestMasters;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on a real master's client and admin ports: the handshake as {@code openssl s_client} sees
 * it, tasks from the Java client and the CLI, mutual TLS, certificate reload on SIGHUP with a
 * connection open, and the errors of a client and a port that disagree about TLS.
 */
class TlsIT {
  private static final Duration BOUND = Duration.ofMinutes(2);

  @TempDir Path tmp;
  private TestCertificates certs;
  private Process master;
  private Path log;

  @BeforeEach
  void certificates() throws Exception {
    certs = TestCertificates.in(tmp);
    certs.server("server", "drover-test-server");
    log = tmp.resolve("master.log");
  }

  @AfterEach
  void stop() throws InterruptedException {
    DroverScript.destroyWithDescendants(master);
  }

  private int startMaster(String... extra) throws Exception {
    int port = DroverScript.freePort();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                DroverScript.DROVER.toString(), "master", "--port", Integer.toString(port), "--admin-port", "0", "--workers", "1",
                "--tls-cert", certs.file("server.pem"), "--tls-key", certs.file("server.key")));
    cmd.addAll(List.of(extra));
    master = DroverScript.startMaster(new ProcessBuilder(cmd), log);
    return port;
  }

  private String adminAddress() throws Exception {
    Matcher m = Pattern.compile("admin endpoint at https://([\\d.]+:\\d+)").matcher(Files.readString(log));
    assertThat(m.find()).as("the admin endpoint's https line in the log").isTrue();
    return m.group(1);
  }

  private DroverClient client(int port, DroverTls tls) {
    return DroverClient.builder().port(port).tls(tls).build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bothPortsServeTls13And12WithModernCiphersOnlyAndTasksRunOverIt() throws Exception {
    // RSA: the key that TLS 1.2's weak suites (RSA key exchange, CBC) could use, were they let in.
    certs.rsaServer("server", "drover-test-server");
    int port = startMaster("--admin-tls");
    assertThat(Files.readString(log))
        .containsPattern("TLS on the client port and the admin port: (OpenSSL|JDK provider).*certificate CN=drover-test-server.*expires");
    String admin = adminAddress();
    int adminPort = Integer.parseInt(admin.substring(admin.indexOf(':') + 1));
    for (int p : new int[] {port, adminPort}) {
      assertThat(TestCertificates.sClient(p, "-CAfile", certs.ca().toString()))
          .contains("exit 0")
          .containsPattern("New, TLSv1.3, Cipher is TLS_")
          .contains("Verify return code: 0 (ok)");
      assertThat(TestCertificates.sClient(p, "-CAfile", certs.ca().toString(), "-tls1_2"))
          .containsPattern("New, TLSv1.2, Cipher is ECDHE-RSA-(AES128|AES256|CHACHA20)-(GCM-SHA256|GCM-SHA384|POLY1305)");
      // The client's security level 0 lets it offer TLS 1.1: the refusal is the master's.
      assertThat(TestCertificates.sClient(p, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"))
          .doesNotContainPattern("Cipher is [A-Z]")
          .contains("alert protocol version");
      // CBC, or RSA key exchange (no forward secrecy): Netty's default lists take some of these.
      assertThat(TestCertificates.sClient(p, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES128-SHA"))
          .as("TLS 1.2 without ECDHE and AEAD is refused")
          .doesNotContainPattern("Cipher is [A-Z]")
          .contains("alert handshake failure");
    }

    HttpClient https = HttpClient.newBuilder().sslContext(trusting(certs.ca())).build();
    HttpResponse<String> status =
        https.send(HttpRequest.newBuilder(URI.create("https://" + admin + "/status")).timeout(BOUND).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(status.statusCode()).isEqualTo(200);
    ProcessBuilder statusCli =
        new ProcessBuilder(DroverScript.DROVER.toString(), "status", "--admin", "https://" + admin).redirectErrorStream(true);
    statusCli.environment().put("DROVER_ADMIN_CA", certs.ca().toString());
    assertThat(runToEnd(statusCli)).startsWith("exit 0").contains("worker");

    try (DroverClient c = client(port, DroverTls.trusting(certs.ca()))) {
      assertThat(c.submit("echo", utf8("over TLS")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("over TLS"));
      assertThat(new String(c.submit("sha256", utf8("abc")).get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isNotEmpty();
    }
    DroverScript.Result submit =
        DroverScript.run(tmp, "submit", "--port", Integer.toString(port), "--tls-ca", certs.ca().toString(), "--type", "echo", "--payload", "from the CLI");
    assertThat(submit.exitCode()).as(submit.stderr()).isZero();
    assertThat(submit.stdout()).contains("from the CLI");
    // `drover bench --tls-ca`: TlsLoadTest in the bench module, whose jar does not exist yet here.
  }

  @Test
  void aPlaintextClientOnTheTlsPortGetsAClearErrorAndTheMasterLogsIt() throws Exception {
    int port = startMaster();
    try (DroverClient plain = DroverClient.builder().port(port).build()) {
      // Bounded: a hang fails here, not in the build's timeout.
      assertThatThrownBy(() -> plain.submit("echo", utf8("x")).get(1, TimeUnit.MINUTES))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(DroverConnectionException.class)
          .hasMessageContaining("may require TLS")
          .hasMessageContaining("--tls");
    }
    await("the master's line").atMost(BOUND).until(() -> Files.readString(log).contains("not a TLS connection"));
    DroverScript.Result submit = DroverScript.run(tmp, "submit", "--port", Integer.toString(port), "--type", "echo", "--payload", "x");
    assertThat(submit.exitCode()).isNotZero();
    assertThat(submit.stderr()).contains("require TLS");
  }

  @Test
  void aTlsClientOnAPlaintextPortGetsAClearError() throws Exception {
    try (DroverMaster plain = DroverMaster.start(TestMasters.config(1).inline(true).noAdmin().build())) {
      int port = plain.clientAddress().getPort();
      assertThatThrownBy(() -> client(port, DroverTls.trusting(certs.ca())))
          .isInstanceOf(DroverConnectionException.class)
          .hasMessageContaining("answered without TLS");
    }
  }

  @Test
  void mutualTlsLetsInAGoodClientCertificateAndRefusesOthers() throws Exception {
    certs.client("alice", "alice", "ca");
    certs.client("mallory", "mallory", "other-ca");
    int port = startMaster("--tls-client-ca", certs.ca().toString(), "--tls-client-auth", "require");
    assertThat(Files.readString(log)).contains("client certificates: require");
    DroverTls trusting = DroverTls.trusting(certs.ca());
    try (DroverClient alice = client(port, trusting.withClientCertificate(Path.of(certs.file("alice.pem")), Path.of(certs.file("alice.key"))))) {
      assertThat(alice.submit("echo", utf8("hi")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("hi"));
    }
    for (DroverTls refused :
        List.of(trusting.withClientCertificate(Path.of(certs.file("mallory.pem")), Path.of(certs.file("mallory.key"))), trusting)) {
      // TLS 1.3 ends the client's half of the handshake before the master checks its certificate:
      // the refusal comes as an alert, at build() or at the first task.
      assertThatThrownBy(
              () -> {
                try (DroverClient c = client(port, refused)) {
                  c.submit("echo", utf8("hi")).get(1, TimeUnit.MINUTES);
                }
              })
          .satisfies(e -> assertThat(e instanceof ExecutionException ? e.getCause() : e).isInstanceOf(DroverConnectionException.class))
          .satisfies(e -> assertThat(String.valueOf(e.getMessage())).containsIgnoringCase("certificate"));
    }
    await("the master's lines").atMost(BOUND).until(() -> Files.readString(log).split("TLS handshake failed", -1).length > 2);
    DroverScript.Result submit =
        DroverScript.run(
            tmp, "submit", "--port", Integer.toString(port), "--tls-ca", certs.ca().toString(), "--tls-cert", certs.file("alice.pem"),
            "--tls-key", certs.file("alice.key"), "--type", "echo", "--payload", "mutual");
    assertThat(submit.exitCode()).as(submit.stderr()).isZero();
    assertThat(submit.stdout()).contains("mutual");
  }

  @Test
  void sighupReadsTheCertificateAgainAndOpenConnectionsKeepWorking() throws Exception {
    int port = startMaster();
    assertThat(TestCertificates.sClient(port, "-CAfile", certs.ca().toString())).contains("CN = drover-test-server");
    try (DroverClient open = client(port, DroverTls.trusting(certs.ca()))) {
      assertThat(open.submit("echo", utf8("before")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("before"));

      String serial = certs.server("server", "drover-renewed");
      signal("HUP");
      await("the reload").atMost(BOUND).until(() -> Files.readString(log).contains("certificate CN=drover-renewed"));
      assertThat(open.submit("echo", utf8("after")).get(30, TimeUnit.SECONDS)).as("the open connection").isEqualTo(utf8("after"));
      String renewed = TestCertificates.sClient(port, "-CAfile", certs.ca().toString(), "-showcerts");
      assertThat(renewed).contains("CN = drover-renewed").contains("Verify return code: 0 (ok)");
      assertThat(certs.openssl("x509", "-in", certs.file("server.pem"), "-noout", "-serial")).containsIgnoringCase("serial=" + serial);
      try (DroverClient fresh = client(port, DroverTls.trusting(certs.ca()))) {
        assertThat(fresh.submit("echo", utf8("new")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("new"));
      }

      // A key that is not the certificate's: the reload is refused and the renewed pair stays.
      Files.copy(tmp.resolve("other-ca.key"), tmp.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      signal("HUP");
      await("the refusal").atMost(BOUND).until(() -> Files.readString(log).contains("is not the private key of the certificate"));
      assertThat(Files.readString(log)).contains("reload refused");
      assertThat(TestCertificates.sClient(port, "-CAfile", certs.ca().toString())).contains("CN = drover-renewed");
      assertThat(open.submit("echo", utf8("still")).get(30, TimeUnit.SECONDS)).isEqualTo(utf8("still"));
    }
  }

  @Test
  void aMasterRefusesToStartWithBadFilesNamingThem() throws Exception {
    certs.expired("old");
    certs.server("second", "second");
    String[][] cases = {
      {certs.file("missing.pem"), certs.file("server.key"), "tls-cert: " + certs.file("missing.pem") + " does not exist"},
      {certs.file("server.pem"), certs.file("second.key"), "tls-key: " + certs.file("second.key") + " is not the private key of the certificate in"},
      {certs.file("old.pem"), certs.file("old.key"), "tls-cert: " + certs.file("old.pem") + ": the certificate expired on 2020-01-02"},
    };
    for (String[] c : cases) {
      DroverScript.Result r = DroverScript.run(tmp, "master", "--port", "0", "--admin-port", "0", "--workers", "1", "--tls-cert", c[0], "--tls-key", c[1]);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains("cannot start").contains(c[2]);
    }
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(master.pid())).start();
    assertThat(kill.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static String runToEnd(ProcessBuilder pb) throws Exception {
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return "exit " + p.exitValue() + "\n" + out;
  }

  private static javax.net.ssl.SSLContext trusting(Path ca) throws Exception {
    java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    ks.load(null, null);
    try (var in = Files.newInputStream(ca)) {
      ks.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
