package io.drover.master.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * TLS on the client port and, optionally, on the admin port: the certificate chain and private
 * key (PEM files), and whether clients must present a certificate signed by a given CA (mutual
 * TLS). The files are only named here; the master reads and checks them when it starts and again
 * on each reload.
 *
 * @param certificate the server's certificate chain, PEM, leaf first; null for no TLS
 * @param privateKey the certificate's private key, PEM (PKCS#8, unencrypted); null for no TLS
 * @param clientCa the CA certificates (PEM) that client certificates are checked against; null
 *     when clients present none
 * @param clientAuth whether clients of the client port must present a certificate
 * @param admin whether the admin port serves HTTPS with the same certificate and key
 */
public record TlsSettings(Path certificate, Path privateKey, Path clientCa, ClientAuth clientAuth, boolean admin) {
  /** No TLS on either port. */
  public static final TlsSettings OFF = new TlsSettings(null, null, null, ClientAuth.NONE, false);

  /** Whether client connections must present a certificate. */
  public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A certificate is asked for and checked when given; a client without one is let in. */
    OPTIONAL,
    /** A client without a certificate signed by the CA is refused at the handshake. */
    REQUIRE;

    /** The mode named {@code name} ({@code none}, {@code optional}, {@code require}). */
    public static ClientAuth of(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tlsClientAuth: " + name + " (expected: none, optional or require)", e);
      }
    }

    /** The mode's name in settings and logs. */
    public String settingName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks that the settings go together; the files themselves are checked when read. */
  public TlsSettings {
    Objects.requireNonNull(clientAuth, "clientAuth");
    if ((certificate == null) != (privateKey == null)) {
      throw new IllegalArgumentException(
          certificate == null
              ? "tlsCert: (none) (expected: a certificate file with --tls-key)"
              : "tlsKey: (none) (expected: the certificate's private key file with --tls-cert)");
    }
    if (certificate == null && (clientCa != null || admin)) {
      throw new IllegalArgumentException(
          "tlsCert: (none) (expected: a certificate file, which " + (admin ? "--admin-tls" : "--tls-client-ca") + " needs)");
    }
    if (clientAuth != ClientAuth.NONE && clientCa == null) {
      throw new IllegalArgumentException(
          "tlsClientCa: (none) (expected: the CA file that client certificates are checked against, which --tls-client-auth "
              + clientAuth.settingName() + " needs)");
    }
  }

  /** Whether the client port speaks TLS. */
  public boolean enabled() {
    return certificate != null;
  }
}
