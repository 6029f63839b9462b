package io.drover.master.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may use the client port: the tenants, and whether authentication was explicitly waived.
 * With tenants, every connection must prove it is one of them (a token in an AUTH frame, or a
 * client certificate) before anything else; without, the port is open to whoever reaches it,
 * which the master allows only on loopback unless {@link #waived}.
 *
 * @param tenants the tenants; empty for none
 * @param waived {@code --auth none}: serve without tenants beyond loopback
 */
public record AuthSettings(List<TenantSettings> tenants, boolean waived) {
  /** No tenants, nothing waived: fine on loopback. */
  public static final AuthSettings NONE = new AuthSettings(List.of(), false);

  /** Checks that names, token hashes and certificate subjects are each unique. */
  public AuthSettings {
    tenants = List.copyOf(tenants);
    if (waived && !tenants.isEmpty()) {
      throw new IllegalArgumentException("auth: none (expected: auto when tenants are configured; remove one or the other)");
    }
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    Set<String> subjects = new HashSet<>();
    for (TenantSettings t : tenants) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("tenants: " + t.name() + " is listed twice (expected: unique names)");
      }
      if (t.tokenSha256() != null && !hashes.add(t.tokenSha256())) {
        throw new IllegalArgumentException("tenants: " + t.name() + " has another tenant's token-sha256 (expected: one token per tenant)");
      }
      if (t.certificateSubject() != null && !subjects.add(t.certificateSubject())) {
        throw new IllegalArgumentException(
            "tenants: " + t.name() + " has another tenant's certificate-subject (expected: one subject per tenant)");
      }
    }
  }

  /** Whether a connection must authenticate before anything else. */
  public boolean required() {
    return !tenants.isEmpty();
  }

  /**
   * Refuses a client port bound beyond loopback that anyone could use: no tenants, and
   * authentication not waived.
   *
   * @throws IllegalArgumentException naming the address and the two ways out
   */
  public void checkExposure(String host) {
    if (required() || waived || isLoopback(host)) {
      return;
    }
    throw new IllegalArgumentException(
        "auth: auto (expected: tenants, or --auth none to waive authentication, when the client port binds "
            + host + ", beyond loopback: anyone who reaches it could run tasks)");
  }

  /** Whether every address {@code host} stands for is a loopback one; false when it does not resolve. */
  static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
