package io.drover.master.internal.auth;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Finds the tenant a token or a client certificate stands for. Immutable: a reload builds a new
 * one. A token is hashed once and compared with every tenant's hash, each in constant time and
 * without stopping at a match, so the time an AUTH takes says nothing about which hash, or how
 * much of one, it came close to.
 *
 * @param <T> what the caller keeps per tenant
 */
public final class TenantDirectory<T> {
  private final List<byte[]> hashes = new ArrayList<>();
  private final List<T> byHash = new ArrayList<>();
  private final List<X500Principal> subjects = new ArrayList<>();
  private final List<T> bySubject = new ArrayList<>();

  /** Adds a tenant known by the token whose SHA-256 is {@code sha256Hex}; null adds nothing. */
  public TenantDirectory<T> token(String sha256Hex, T tenant) {
    if (sha256Hex != null) {
      hashes.add(TokenHash.parseHex(sha256Hex));
      byHash.add(tenant);
    }
    return this;
  }

  /** Adds a tenant known by its client certificate's subject ({@code CN=analytics}); null adds nothing. */
  public TenantDirectory<T> certificateSubject(String subject, T tenant) {
    if (subject != null) {
      subjects.add(new X500Principal(subject));
      bySubject.add(tenant);
    }
    return this;
  }

  /** The tenant whose token is {@code length} bytes of {@code buf} at {@code index}, or null. */
  public T byToken(ByteBuf buf, int index, int length) {
    byte[] hash = TokenHash.of(buf, index, length);
    T found = null;
    for (int i = 0; i < hashes.size(); i++) {
      if (TokenHash.matches(hashes.get(i), hash)) {
        found = byHash.get(i); // no break: every hash is compared, whatever the token
      }
    }
    return found;
  }

  /**
   * The tenant whose certificate subject is {@code subject}, or null. Distinguished names are
   * compared as {@link X500Principal#equals} does, in their canonical form: {@code cn=a} is
   * {@code CN=a}.
   */
  public T byCertificate(X500Principal subject) {
    for (int i = 0; i < subjects.size(); i++) {
      if (subjects.get(i).equals(subject)) {
        return bySubject.get(i);
      }
    }
    return null;
  }

  /** Whether some tenant is known by its certificate. */
  public boolean hasCertificateTenants() {
    return !subjects.isEmpty();
  }
}
