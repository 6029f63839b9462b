package io.drover.master.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the {@code openssl} command in a test's directory (never
 * committed): a test CA, server certificates for 127.0.0.1 and localhost, client certificates from
 * that CA and from another one, and an expired certificate. EC P-256 keys, PKCS#8 PEM.
 */
public final class TestCertificates {
  private final Path dir;
  private int serial = 0x1000;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A test CA ({@code ca.pem}, {@code ca.key}) and another one ({@code other-ca.pem}) in {@code dir}. */
  public static TestCertificates in(Path dir) throws IOException, InterruptedException {
    TestCertificates c = new TestCertificates(dir);
    c.selfSigned("ca", "Drover Test CA");
    c.selfSigned("other-ca", "Another CA");
    return c;
  }

  /** The test CA's certificate. */
  public Path ca() {
    return dir.resolve("ca.pem");
  }

  /** The other CA's certificate. */
  public Path otherCa() {
    return dir.resolve("other-ca.pem");
  }

  /**
   * {@code name.pem} and {@code name.key}: a certificate for 127.0.0.1 and localhost with the
   * subject {@code CN=cn}, signed by the test CA, with a serial of its own.
   *
   * @return its serial, in hex
   */
  public String server(String name, String cn) throws IOException, InterruptedException {
    return signed(name, cn, "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", EC);
  }

  /** As {@link #server}, with an RSA key: the one kind of key that weak TLS 1.2 suites can use. */
  public String rsaServer(String name, String cn) throws IOException, InterruptedException {
    return signed(name, cn, "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", List.of("-newkey", "rsa:2048"));
  }

  private static final List<String> EC = List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");

  /** {@code name.pem} and {@code name.key}: a client certificate signed by {@code ca} ({@code ca} or {@code other-ca}). */
  public String client(String name, String cn, String ca) throws IOException, InterruptedException {
    return signed(name, cn, ca, "extendedKeyUsage=clientAuth\n", EC);
  }

  /** {@code name.pem} and {@code name.key}: a server certificate of the test CA that expired in 2020. */
  public void expired(String name) throws IOException, InterruptedException {
    Path db = Files.createDirectories(dir.resolve("ca-db"));
    Files.writeString(db.resolve("index.txt"), "");
    Files.writeString(db.resolve("serial"), "01\n");
    Files.writeString(
        db.resolve("ca.cnf"),
        "[ca]\ndefault_ca = d\n[d]\ndatabase = " + db.resolve("index.txt") + "\nnew_certs_dir = " + db
            + "\nserial = " + db.resolve("serial") + "\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n");
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", file(name + ".key"), "-out", file(name + ".csr"), "-subj", "/CN=expired");
    openssl("ca", "-batch", "-config", db.resolve("ca.cnf").toString(), "-keyfile", file("ca.key"), "-cert", file("ca.pem"),
        "-in", file(name + ".csr"), "-out", file(name + ".pem"), "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext");
  }

  private void selfSigned(String name, String cn) throws IOException, InterruptedException {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", file(name + ".key"), "-out", file(name + ".pem"), "-days", "2", "-subj", "/CN=" + cn,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  }

  private String signed(String name, String cn, String ca, String extensions, List<String> key) throws IOException, InterruptedException {
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, extensions);
    List<String> req = new ArrayList<>(List.of("req", "-new"));
    req.addAll(key);
    req.addAll(List.of("-nodes", "-keyout", file(name + ".key.new"), "-out", file(name + ".csr"), "-subj", "/CN=" + cn));
    openssl(req.toArray(new String[0]));
    String hex = Integer.toHexString(++serial);
    openssl("x509", "-req", "-in", file(name + ".csr"), "-CA", file(ca + ".pem"), "-CAkey", file(ca + ".key"),
        "-set_serial", "0x" + hex, "-days", "2", "-extfile", ext.toString(), "-out", file(name + ".pem.new"));
    // Replaced whole, so that a master reading the files again never sees half a pair... mostly:
    // the two renames are not one, which the reload tests accept by renaming the key first.
    Files.move(dir.resolve(name + ".key.new"), dir.resolve(name + ".key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(dir.resolve(name + ".pem.new"), dir.resolve(name + ".pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return hex;
  }

  /** {@code name} in the directory. */
  public String file(String name) {
    return dir.resolve(name).toString();
  }

  /** Runs {@code openssl args}, which must succeed; returns its output (stdout and stderr). */
  public String openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("openssl %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }

  /**
   * {@code openssl s_client} against {@code 127.0.0.1:port} with {@code options}, its output and
   * whether it succeeded: a handshake that fails is an answer here, not an error.
   */
  public static String sClient(int port, String... options) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
    cmd.addAll(List.of(options));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("openssl s_client finished").isTrue();
    return "exit " + p.exitValue() + "\n" + out;
  }
}
