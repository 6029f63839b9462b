package io.drover.client;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * TLS to a master whose client port has it on: whom to trust (a CA file, or the JDK's default
 * trust store), an optional client certificate for mutual TLS, and hostname verification (on
 * unless turned off). Immutable; each {@code with...} method returns a copy.
 *
 * <pre>{@code
 * DroverClient.builder()
 *     .host("drover.example.com")
 *     .tls(DroverTls.trusting(Path.of("ca.pem")).withClientCertificate(Path.of("me.pem"), Path.of("me.key")))
 *     .build();
 * }</pre>
 */
public final class DroverTls {
  private final Path trustedCertificates;
  private final Path clientCertificate;
  private final Path clientKey;
  private final boolean verifyHostname;

  private DroverTls(Path trustedCertificates, Path clientCertificate, Path clientKey, boolean verifyHostname) {
    this.trustedCertificates = trustedCertificates;
    this.clientCertificate = clientCertificate;
    this.clientKey = clientKey;
    this.verifyHostname = verifyHostname;
  }

  /** TLS that trusts the certificates the JDK's default trust store trusts. */
  public static DroverTls withDefaultTrust() {
    return new DroverTls(null, null, null, true);
  }

  /** TLS that trusts the CA certificates (PEM) in {@code caFile}, and only them. */
  public static DroverTls trusting(Path caFile) {
    return new DroverTls(requireNonNull(caFile, "caFile"), null, null, true);
  }

  /**
   * A copy that presents {@code certificateFile} (PEM chain) with its private key {@code keyFile}
   * (PEM, PKCS#8) to a master that asks for client certificates.
   */
  public DroverTls withClientCertificate(Path certificateFile, Path keyFile) {
    return new DroverTls(trustedCertificates, requireNonNull(certificateFile, "certificateFile"), requireNonNull(keyFile, "keyFile"), verifyHostname);
  }

  /**
   * A copy that does not check that the master's certificate names the host connected to. Only
   * for tests: without it, anyone with a certificate from a trusted CA can pose as the master.
   */
  public DroverTls withoutHostnameVerification() {
    return new DroverTls(trustedCertificates, clientCertificate, clientKey, false);
  }

  /** The CA file trusted, or null for the JDK's default trust store. */
  public Path trustedCertificates() {
    return trustedCertificates;
  }

  /** The client certificate file, or null. */
  public Path clientCertificate() {
    return clientCertificate;
  }

  /** The client certificate's private key file, or null. */
  public Path clientKey() {
    return clientKey;
  }

  /** Whether the master's certificate must name the host connected to. */
  public boolean verifyHostname() {
    return verifyHostname;
  }
}
