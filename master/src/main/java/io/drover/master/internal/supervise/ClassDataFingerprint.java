package io.drover.master.internal.supervise;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names a worker class-data archive by hashing everything the archive depends on, so that a
 * changed input gets a new archive instead of one the JVM refuses or, worse, maps: the JDK build
 * (version, home, and the sizes and times of its VM, modules image and base archive), the worker
 * command line and the JVM options the environment adds, and each classpath jar's path, size,
 * modification time and content.
 *
 * <p>The content matters: the JVM checks only a jar's size and modification time against the
 * archive, and runs the archived classes of the old jar when a deploy keeps both (a copy that
 * preserves times, an image build that sets them all alike). Hashing is done once per jar
 * version: a jar whose size, times and inode are unchanged is not read again.
 */
final class ClassDataFingerprint {
  /** Environment variables through which the JVM takes options. */
  static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  private static final String JDK = jdkIdentity();
  private final Map<Path, Jar> jars = new HashMap<>();

  /** The version of a jar whose content was hashed; ctime changes on every write or replacement. */
  private record Jar(long size, long modified, Object changed, Object fileKey, String contentHash) {
    boolean sameVersion(long size, long modified, Object changed, Object fileKey) {
      return this.size == size && this.modified == modified && Objects.equals(this.changed, changed) && Objects.equals(this.fileKey, fileKey);
    }
  }

  /**
   * A 16-hex-digit name for the archive of workers started with {@code command} over {@code
   * classpath}, with {@code environment} (the JVM option variables the workers see).
   */
  String of(List<String> command, List<Path> classpath, Map<String, String> environment) throws IOException {
    MessageDigest md = sha256();
    add(md, JDK);
    for (String arg : command) {
      add(md, arg);
    }
    for (String name : JVM_OPTION_VARIABLES) {
      add(md, name + "=" + environment.getOrDefault(name, ""));
    }
    for (Path p : classpath) {
      Path jar = p.toAbsolutePath();
      add(md, jar.toString());
      if (Files.isRegularFile(jar)) {
        add(md, identity(jar));
      }
    }
    return HexFormat.of().formatHex(md.digest(), 0, 8);
  }

  private String identity(Path jar) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(jar, BasicFileAttributes.class);
    long size = attrs.size();
    long modified = attrs.lastModifiedTime().toMillis();
    Object changed = changeTime(jar);
    Jar known = jars.get(jar);
    if (known == null || !known.sameVersion(size, modified, changed, attrs.fileKey())) {
      known = new Jar(size, modified, changed, attrs.fileKey(), contentHash(jar));
      jars.put(jar, known);
    }
    return size + ":" + modified + ":" + known.contentHash();
  }

  private static Object changeTime(Path p) {
    try {
      return Files.getAttribute(p, "unix:ctime");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null; // not a Unix file system: size, time and inode still tell most changes
    }
  }

  private static String contentHash(Path jar) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(jar)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The JDK the master runs on, which is the one its workers run on. */
  private static String jdkIdentity() {
    Path home = Path.of(System.getProperty("java.home"));
    StringBuilder id = new StringBuilder();
    id.append(Runtime.version()).append(':').append(System.getProperty("java.vm.version")).append(':').append(home);
    for (String file : List.of("lib/modules", "lib/server/libjvm.so", "lib/server/libjvm.dylib", "lib/server/classes.jsa", "lib/server/classes_nocoops.jsa")) {
      Path p = home.resolve(file);
      try {
        if (Files.isRegularFile(p)) {
          id.append(':').append(file).append('=').append(Files.size(p)).append('@').append(Files.getLastModifiedTime(p).toMillis());
        }
      } catch (IOException e) {
        id.append(':').append(file).append("=?");
      }
    }
    return id.toString();
  }

  private static void add(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
