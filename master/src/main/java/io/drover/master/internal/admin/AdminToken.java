package io.drover.master.internal.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The admin endpoint's token: read from the operator's file, or made fresh (32 random bytes), and
 * in both cases written to {@code admin.token} in the master's runtime directory, readable by its
 * user only, where the {@code drover} CLI on the same host finds it.
 */
public final class AdminToken {
  /** The file's name in the runtime directory. */
  public static final String FILE_NAME = "admin.token";

  private AdminToken() {}

  /**
   * The token, written to {@code runtimeDirectory/admin.token} (mode 0600).
   *
   * @param given the operator's token file, or null for a fresh token
   * @throws IOException when {@code given} cannot be read, is empty, or the copy cannot be written;
   *     the message says which
   */
  public static String create(Path runtimeDirectory, Path given) throws IOException {
    String token;
    if (given != null) {
      try {
        token = Files.readString(given, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IOException("admin token file " + given + ": cannot read it (" + e + ")", e);
      }
      if (token.isEmpty()) {
        throw new IOException("admin token file " + given + ": empty (expected: a secret on its first line)");
      }
    } else {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    Path copy = runtimeDirectory.resolve(FILE_NAME);
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    Files.deleteIfExists(copy);
    Files.createFile(copy, PosixFilePermissions.asFileAttribute(ownerOnly));
    Files.writeString(copy, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    return token;
  }
}
