package io.drover.master.cli;

import io.drover.client.DroverTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The TLS options of the commands that connect to the client port ({@code submit}, {@code job},
 * {@code bench}): a picocli mixin. Any of them turns TLS on.
 */
public final class ClientTlsOptions {
  @Option(names = "--tls", description = "Connect with TLS, trusting the JDK's default CAs unless --tls-ca says otherwise.")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "Trust only the CA certificates (PEM) in FILE; implies --tls.")
  Path ca;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Client certificate (PEM) for a master that asks for one; implies --tls.")
  Path certificate;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The client certificate's private key (PEM, PKCS#8).")
  Path key;

  /**
   * The TLS these options ask for, or null for a plaintext connection.
   *
   * @throws IllegalArgumentException when a certificate is given without its key, or the other way
   */
  public DroverTls toTls() {
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException(
          certificate == null ? "--tls-key needs --tls-cert (the certificate it belongs to)" : "--tls-cert needs --tls-key (its private key)");
    }
    if (!tls && ca == null && certificate == null) {
      return null;
    }
    DroverTls t = ca != null ? DroverTls.trusting(ca) : DroverTls.withDefaultTrust();
    return certificate != null ? t.withClientCertificate(certificate, key) : t;
  }
}
