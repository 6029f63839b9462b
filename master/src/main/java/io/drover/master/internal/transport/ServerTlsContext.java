package io.drover.master.internal.transport;

import io.drover.master.config.TlsSettings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * One server-side TLS context built from checked PEM files, and the line that describes it in
 * the log. TLS 1.3 and 1.2 only; for 1.2 only ECDHE key exchange with AEAD ciphers (forward
 * secrecy, no CBC), the set Mozilla's "intermediate" profile keeps.
 *
 * @param context what new connections' {@code SslHandler}s are made from
 * @param description provider, protocols, certificate subject and expiry, client-auth mode
 */
record ServerTlsContext(SslContext context, String description) {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  static final List<String> CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /**
   * Reads and checks the files of {@code settings} and builds a context.
   *
   * @param withClientAuth whether to ask for client certificates as the settings say (the client
   *     port), or never (the admin port, whose clients prove themselves with the admin token)
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static ServerTlsContext build(TlsSettings settings, boolean withClientAuth) {
    X509Certificate[] chain = PemFiles.certificates("tls-cert", settings.certificate(), true);
    PrivateKey key = PemFiles.privateKey("tls-key", settings.privateKey(), chain[0], settings.certificate());
    boolean openSsl = OpenSsl.isAvailable();
    SslContextBuilder b =
        SslContextBuilder.forServer(key, chain)
            .sslProvider(openSsl ? SslProvider.OPENSSL : SslProvider.JDK)
            .protocols(PROTOCOLS)
            .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
    TlsSettings.ClientAuth auth = withClientAuth ? settings.clientAuth() : TlsSettings.ClientAuth.NONE;
    if (auth != TlsSettings.ClientAuth.NONE) {
      b.trustManager(PemFiles.certificates("tls-client-ca", settings.clientCa(), false))
          .clientAuth(auth == TlsSettings.ClientAuth.REQUIRE ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    }
    SslContext context;
    try {
      context = b.build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException(
          "tls-cert: " + settings.certificate() + " with tls-key: " + settings.privateKey() + " cannot make a TLS context: " + e.getMessage(), e);
    }
    String description =
        (openSsl ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK provider (OpenSSL not available: " + OpenSsl.unavailabilityCause() + ")")
            + ", TLSv1.3 and TLSv1.2, certificate " + PemFiles.subject(chain[0])
            + " (serial " + chain[0].getSerialNumber().toString(16) + ", expires " + chain[0].getNotAfter().toInstant() + ")"
            + ", client certificates: " + auth.settingName()
            + (auth == TlsSettings.ClientAuth.NONE ? "" : " (CA " + settings.clientCa() + ")");
    return new ServerTlsContext(context, description);
  }
}
