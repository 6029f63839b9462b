package io.drover.master.internal.auth;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SHA-256 of tokens, and their comparison in constant time. The master stores and compares only
 * hashes, so neither its configuration nor its memory holds a tenant's token; comparing in
 * constant time keeps a client from learning a hash byte by byte from answer times.
 */
public final class TokenHash {
  /** Bytes of a generated token: 256 bits, as strong as the hash that stands for it. */
  private static final int TOKEN_BYTES = 32;

  private TokenHash() {}

  /** The SHA-256 of {@code length} bytes of {@code buf} at {@code index}. */
  public static byte[] of(ByteBuf buf, int index, int length) {
    MessageDigest d = sha256();
    if (buf.hasArray()) {
      d.update(buf.array(), buf.arrayOffset() + index, length);
    } else {
      d.update(buf.nioBuffer(index, length));
    }
    return d.digest();
  }

  /** The SHA-256 of {@code token}'s UTF-8 bytes. */
  public static byte[] of(String token) {
    return sha256().digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The SHA-256 of {@code token} as 64 lower-case hex digits: the {@code token-sha256} value. */
  public static String hex(String token) {
    return HexFormat.of().formatHex(of(token));
  }

  /** The 32 bytes {@code hex} (64 hex digits) stands for. */
  public static byte[] parseHex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  /** Whether {@code a} and {@code b} are equal, in time that depends on their lengths only. */
  public static boolean matches(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** A new random token: 32 bytes from a {@link SecureRandom}, base64url without padding (43 characters). */
  public static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
