package io.drover.master.internal.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.master.internal.dispatch.TenantsSnapshot;
import io.drover.master.internal.dispatch.TenantsSnapshot.TenantCounts;

/**
 * The {@code tenants} object of {@code GET /status} (docs/OPERATIONS.md lists its fields): whether
 * clients must authenticate, the failures by reason, and each tenant's counters by name. Never a
 * token or its hash.
 */
final class TenantsJson {
  private TenantsJson() {}

  static ObjectNode of(TenantsSnapshot t) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("authRequired", t.required());
    ObjectNode failures = n.putObject("authFailures");
    new java.util.TreeMap<>(t.authFailures()).forEach(failures::put);
    ObjectNode byName = n.putObject("byName");
    for (TenantCounts c : t.tenants()) {
      ObjectNode e = byName.putObject(c.name());
      e.put("configured", c.configured());
      e.put("connections", c.connections());
      e.put("inFlight", c.inFlight());
      e.put("maxInFlight", c.maxInFlight());
      e.put("paused", c.paused());
      e.put("held", c.held());
      e.put("waiting", c.waiting());
      e.put("submitted", c.submitted());
      e.put("completed", c.completed());
      e.put("denied", c.denied());
    }
    return n;
  }
}
