package io.drover.master.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of a TLS setting and checks them before any of them is used, so that a
 * master refuses to start (or a reload is refused) with a message naming the file: missing, not
 * PEM, an expired certificate, a key that does not belong to the certificate. Netty would accept
 * some of these and fail every handshake later instead.
 */
final class PemFiles {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

  private PemFiles() {}

  /**
   * The certificates in {@code file}, in order; the first must be valid now.
   *
   * @param what the setting's name, for messages ({@code tls-cert})
   */
  static X509Certificate[] certificates(String what, Path file, boolean checkFirstValid) {
    byte[] bytes = read(what, file);
    List<X509Certificate> certs;
    try {
      certs =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes)).stream()
              .map(X509Certificate.class::cast)
              .toList();
    } catch (CertificateException e) {
      throw new IllegalArgumentException(what + ": " + file + " holds no readable PEM certificate: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(what + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    if (checkFirstValid) {
      X509Certificate leaf = certs.get(0);
      try {
        leaf.checkValidity();
      } catch (CertificateExpiredException e) {
        throw new IllegalArgumentException(what + ": " + file + ": the certificate expired on " + leaf.getNotAfter().toInstant(), e);
      } catch (CertificateNotYetValidException e) {
        throw new IllegalArgumentException(
            what + ": " + file + ": the certificate is not valid before " + leaf.getNotBefore().toInstant(), e);
      }
    }
    return certs.toArray(new X509Certificate[0]);
  }

  /** The PKCS#8 private key in {@code file}, checked to belong to {@code certificate}. */
  static PrivateKey privateKey(String what, Path file, X509Certificate certificate, Path certificateFile) {
    String text = new String(read(what, file), StandardCharsets.US_ASCII);
    Matcher m = PKCS8.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(
          what + ": " + file + " holds no unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----);"
              + " convert one with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    PrivateKey key = null;
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
        break;
      } catch (GeneralSecurityException e) {
        // Not this algorithm's key: try the next.
      }
    }
    if (key == null) {
      throw new IllegalArgumentException(what + ": " + file + " holds a private key of an unsupported algorithm (expected: RSA, EC or EdDSA)");
    }
    if (!belongsTo(key, certificate.getPublicKey())) {
      throw new IllegalArgumentException(
          what + ": " + file + " is not the private key of the certificate in " + certificateFile + " (" + subject(certificate) + ")");
    }
    return key;
  }

  /** Whether a signature made with {@code key} verifies with {@code publicKey}. */
  private static boolean belongsTo(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448
        };
    byte[] probe = "drover: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(publicKey);
      verify.update(probe);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The certificate's subject as RFC 2253 text. */
  static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  private static byte[] read(String what, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + ": " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": " + file + " cannot be read: " + e, e);
    }
  }
}
