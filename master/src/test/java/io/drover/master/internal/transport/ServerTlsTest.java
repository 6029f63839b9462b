package io.drover.master.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.master.config.TlsSettings;
import io.drover.master.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks of the TLS files at start and reload, and a refused reload keeping what runs. */
class ServerTlsTest {
  @TempDir static Path dir;
  private static TestCertificates certs;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.in(dir);
    certs.server("server", "first");
    certs.server("second", "second");
    certs.expired("old");
    Files.writeString(dir.resolve("rsa-traditional.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
  }

  private static TlsSettings tls(String cert, String key) {
    return new TlsSettings(dir.resolve(cert), dir.resolve(key), null, TlsSettings.ClientAuth.NONE, false);
  }

  @Test
  void aGoodPairLoadsAndIsDescribed() {
    ServerTls tls = ServerTls.load(tls("server.pem", "server.key"));
    assertThat(tls.reload(tls("server.pem", "server.key")))
        .contains("TLSv1.3 and TLSv1.2")
        .contains("certificate CN=first")
        .contains("client certificates: none");
  }

  @Test
  void badFilesAreRefusedNamingTheFile() {
    assertThatThrownBy(() -> ServerTls.load(tls("missing.pem", "server.key")))
        .hasMessage("tls-cert: " + dir.resolve("missing.pem") + " does not exist");
    assertThatThrownBy(() -> ServerTls.load(tls("server.pem", "second.key")))
        .hasMessageStartingWith("tls-key: " + dir.resolve("second.key") + " is not the private key of the certificate in " + dir.resolve("server.pem"));
    assertThatThrownBy(() -> ServerTls.load(tls("old.pem", "old.key")))
        .hasMessageStartingWith("tls-cert: " + dir.resolve("old.pem") + ": the certificate expired on 2020-01-02");
    assertThatThrownBy(() -> ServerTls.load(tls("server.key", "server.key")))
        .hasMessageStartingWith("tls-cert: " + dir.resolve("server.key") + " holds no");
    assertThatThrownBy(() -> ServerTls.load(tls("server.pem", "rsa-traditional.key")))
        .hasMessageContaining("no unencrypted PKCS#8 PEM key")
        .hasMessageContaining("openssl pkcs8 -topk8");
  }

  @Test
  void aRefusedReloadKeepsTheRunningContext() {
    ServerTls tls = ServerTls.load(tls("server.pem", "server.key"));
    var before = tls.clientContext();
    assertThatThrownBy(() -> tls.reload(tls("server.pem", "second.key"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(tls.clientContext()).isSameAs(before);
    tls.reload(tls("second.pem", "second.key"));
    assertThat(tls.clientContext()).isNotSameAs(before);
  }
}
