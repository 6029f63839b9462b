package io.drover.master.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An {@link SSLContext} for the JDK's HTTP client that trusts only the CA certificates of one PEM file. */
final class AdminTrust {
  private AdminTrust() {}

  /**
   * @param what where the file's name came from, for messages
   * @throws IOException naming the file when it cannot be read or holds no certificate
   */
  static SSLContext sslContext(Path caFile, String what) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + n++, c);
      }
      if (n == 0) {
        throw new IOException(what + ": " + caFile + " holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(what + ": " + caFile + " does not exist", e);
    } catch (GeneralSecurityException e) {
      throw new IOException(what + ": " + caFile + " holds no usable CA certificate: " + e.getMessage(), e);
    }
  }
}
