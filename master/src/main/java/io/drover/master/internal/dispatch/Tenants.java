package io.drover.master.internal.dispatch;

import io.drover.master.config.AuthSettings;
import io.drover.master.config.TenantSettings;
import io.drover.master.internal.auth.TenantDirectory;
import io.drover.master.internal.transport.AuthAnswer;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The client port's tenants: who a connection is (by token or certificate), and which {@link
 * Tenant} it counts against. A reload swaps the directory, so new connections and AUTH frames
 * use the new tokens at once; tenants are kept by name, so a connection open at the reload takes
 * its tenant's new limits and its counts go on. A tenant the reload dropped keeps its open
 * connections (they authenticated when it was valid) until they close; no new one gets it.
 * Dispatch loop only.
 */
final class Tenants {
  /** Why authentication failed, as the metrics label it. */
  static final String[] FAILURE_REASONS = {"no_auth_frame", "unknown_token", "other_tenant"};

  static final int NO_AUTH_FRAME = 0;
  static final int UNKNOWN_TOKEN = 1;
  static final int OTHER_TENANT = 2;

  private final TaskTypeTable types;
  private final Map<String, Tenant> byName = new LinkedHashMap<>();
  private TenantDirectory<Tenant> directory = new TenantDirectory<>();
  private boolean required;
  /** Authentication failures, by reason. */
  final long[] failures = new long[FAILURE_REASONS.length];

  Tenants(TaskTypeTable types) {
    this.types = types;
  }

  /** Takes the tenants of {@code auth}: at start, and on each reload that changes them. */
  void apply(AuthSettings auth) {
    TenantDirectory<Tenant> d = new TenantDirectory<>();
    for (Tenant t : byName.values()) {
      t.configured = false;
    }
    for (TenantSettings s : auth.tenants()) {
      Tenant t = byName.computeIfAbsent(s.name(), Tenant::new);
      t.configure(s, types);
      d.token(s.tokenSha256(), t).certificateSubject(s.certificateSubject(), t);
    }
    // Dropped tenants stay while connections use them, for their counts; forgotten after.
    byName.values().removeIf(t -> !t.configured && t.connections == 0);
    directory = d;
    required = auth.required();
  }

  boolean required() {
    return required;
  }

  /** The tenants, configured ones and dropped ones still in use, in configuration order. */
  Iterable<Tenant> all() {
    return byName.values();
  }

  /** An AUTH frame, its reader index at the token. */
  AuthAnswer authenticate(ClientSession client, ByteBuf frame) {
    if (!required) {
      return AuthAnswer.accepted(""); // a client that always sends its token may use any master
    }
    Tenant t = directory.byToken(frame, frame.readerIndex(), frame.readableBytes());
    if (t == null) {
      failures[UNKNOWN_TOKEN]++;
      return AuthAnswer.refused("unknown token");
    }
    if (client.tenant != null && client.tenant != t) {
      failures[OTHER_TENANT]++;
      return AuthAnswer.refused("the token is another tenant's than the one this connection authenticated as");
    }
    join(client, t);
    return AuthAnswer.accepted(t.name);
  }

  /** A client certificate's subject, after the TLS handshake: whether it names a tenant. */
  boolean authenticateCertificate(ClientSession client, X500Principal subject) {
    Tenant t = required ? directory.byCertificate(subject) : null;
    if (t == null) {
      return false;
    }
    join(client, t);
    return true;
  }

  private void join(ClientSession client, Tenant t) {
    if (client.tenant == t) {
      return;
    }
    client.tenant = t;
    t.connections++;
    t.sessions.add(client);
    if (t.paused) {
      client.updateReading();
    }
  }

  /** A connection closed: its held frames are dropped and its tenant forgets it. */
  void clientGone(ClientSession client) {
    Tenant t = client.tenant;
    if (t == null) {
      return;
    }
    t.connections--;
    t.sessions.remove(client);
    t.holding.remove(client);
    if (client.held != null) {
      for (ByteBuf frame; (frame = client.held.poll()) != null; ) {
        frame.release();
      }
    }
    if (!t.configured && t.connections == 0) {
      byName.remove(t.name, t);
    }
  }
}
