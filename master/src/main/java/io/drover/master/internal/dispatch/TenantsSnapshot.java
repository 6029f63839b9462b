package io.drover.master.internal.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenants' counters at one moment, copied on the dispatch loop for status and metrics.
 * Immutable. Labelled by tenant names from the configuration only, never by client addresses, so
 * the metrics stay as many as the tenants.
 *
 * @param required whether connections must authenticate (tenants are configured)
 * @param tenants one entry per tenant, in configuration order (then dropped ones still in use)
 * @param authFailures authentication failures since the start, by reason ({@code no_auth_frame},
 *     {@code unknown_token}, {@code other_tenant}), every reason present
 */
public record TenantsSnapshot(boolean required, List<TenantCounts> tenants, Map<String, Long> authFailures) {
  /**
   * One tenant.
   *
   * @param name its name
   * @param configured false when a reload dropped it and connections still use it
   * @param connections connections authenticated as it, open now
   * @param inFlight its tasks accepted and not yet answered
   * @param maxInFlight its limit; 0 for none
   * @param waiting its tasks waiting in the master for a worker
   * @param held its requests read and held because it was at its limit
   * @param paused whether its connections are not read (it is at its limit)
   * @param submitted its tasks accepted since the start (a job's subtasks each)
   * @param completed its tasks answered (or dropped) since the start
   * @param denied its requests refused with PERMISSION_DENIED since the start
   */
  public record TenantCounts(
      String name,
      boolean configured,
      int connections,
      int inFlight,
      int maxInFlight,
      int waiting,
      int held,
      boolean paused,
      long submitted,
      long completed,
      long denied) {}

  static TenantsSnapshot of(Tenants tenants) {
    List<TenantCounts> list = new ArrayList<>();
    for (Tenant t : tenants.all()) {
      int held = 0;
      for (ClientSession c : t.holding) {
        held += c.held.size();
      }
      list.add(
          new TenantCounts(
              t.name, t.configured, t.connections, t.inFlight, t.maxInFlight == Integer.MAX_VALUE ? 0 : t.maxInFlight,
              t.waiting, held, t.paused, t.submitted, t.completed, t.denied));
    }
    Map<String, Long> failures = new LinkedHashMap<>();
    for (int i = 0; i < Tenants.FAILURE_REASONS.length; i++) {
      failures.put(Tenants.FAILURE_REASONS[i], tenants.failures[i]);
    }
    return new TenantsSnapshot(tenants.required(), List.copyOf(list), Map.copyOf(failures));
  }
}
