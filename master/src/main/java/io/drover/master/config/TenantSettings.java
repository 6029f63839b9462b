package io.drover.master.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * One tenant of the client port: who it is, how it proves it, and what it may do. A client
 * becomes a tenant by sending a token whose SHA-256 is {@link #tokenSha256}, or by presenting a
 * client certificate (mutual TLS) whose subject is {@link #certificateSubject}. The token itself
 * is never part of the configuration.
 *
 * @param name the tenant's name: in status, metrics labels and the answer to its AUTH; 1 to 64
 *     letters, digits, {@code .}, {@code _} or {@code -}
 * @param tokenSha256 the SHA-256 of the tenant's token, 64 hex digits (lower case once built);
 *     null when the tenant is known by its certificate only
 * @param certificateSubject the subject of the tenant's client certificate ({@code CN=analytics}),
 *     in the RFC 2253 form; null when the tenant uses a token only
 * @param taskTypes the task types it may run; empty for every type
 * @param maxInFlight the most of its tasks accepted and unanswered at once, over all its
 *     connections; 0 for no limit beyond the per-connection one
 * @param maxPriority the highest priority its tasks may ask for
 * @param queueShare the share of {@code max-queued-tasks} its waiting tasks may take, in (0, 1]
 */
public record TenantSettings(
    String name,
    String tokenSha256,
    String certificateSubject,
    List<String> taskTypes,
    int maxInFlight,
    Priority maxPriority,
    double queueShare) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  /** A task's priority, lowest first (the wire numbers them NORMAL 0, HIGH 1, LOW 2). */
  public enum Priority {
    /** {@code RequestHeader.Priority.LOW}. */
    LOW,
    /** {@code RequestHeader.Priority.NORMAL}. */
    NORMAL,
    /** {@code RequestHeader.Priority.HIGH}. */
    HIGH;

    /** The priority named {@code name} ({@code low}, {@code normal}, {@code high}). */
    public static Priority of(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("maxPriority: " + name + " (expected: low, normal or high)", e);
      }
    }

    /** The name in settings ({@code high}). */
    public String settingName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks every field; the message names the tenant and the bad field. */
  public TenantSettings {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tenants: name '" + name + "' (expected: 1 to 64 letters, digits, '.', '_' or '-')");
    }
    String where = "tenants: " + name + ": ";
    if (tokenSha256 != null) {
      if (!SHA256_HEX.matcher(tokenSha256).matches()) {
        throw new IllegalArgumentException(
            where + "token-sha256 is not 64 hex digits (expected: the line `drover token` prints)");
      }
      tokenSha256 = tokenSha256.toLowerCase(Locale.ROOT);
    }
    if (certificateSubject != null) {
      try {
        certificateSubject = new X500Principal(certificateSubject).getName(X500Principal.RFC2253);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where + "certificate-subject '" + certificateSubject + "' (expected: a distinguished name such as CN=analytics)", e);
      }
    }
    if (tokenSha256 == null && certificateSubject == null) {
      throw new IllegalArgumentException(where + "no token-sha256 and no certificate-subject (expected: at least one)");
    }
    taskTypes = List.copyOf(taskTypes);
    for (String t : taskTypes) {
      if (t.isEmpty() || t.length() > 255) {
        throw new IllegalArgumentException(where + "task-types: '" + t + "' (expected: 1 to 255 characters)");
      }
    }
    if (maxInFlight < 0) {
      throw new IllegalArgumentException(where + "max-in-flight: " + maxInFlight + " (expected: >= 0, 0 for no limit)");
    }
    Objects.requireNonNull(maxPriority, "maxPriority");
    if (!(queueShare > 0 && queueShare <= 1)) {
      throw new IllegalArgumentException(where + "queue-share: " + queueShare + " (expected: > 0 and <= 1)");
    }
  }

  /** Whether the tenant may run tasks of every type. */
  public boolean anyTaskType() {
    return taskTypes.isEmpty();
  }
}
