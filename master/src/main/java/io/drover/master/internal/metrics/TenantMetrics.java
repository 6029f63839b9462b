package io.drover.master.internal.metrics;

import io.drover.master.internal.dispatch.TenantsSnapshot;
import io.drover.master.internal.dispatch.TenantsSnapshot.TenantCounts;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The tenants' metric families: labelled by the tenants' names from the configuration (never by
 * a client's address, so there are as many series as tenants), and authentication failures by
 * reason. A master without tenants has only the failures family, at zero.
 */
final class TenantMetrics {
  private TenantMetrics() {}

  static void collect(TenantsSnapshot t, List<MetricSnapshot> out) {
    List<TenantCounts> tenants = t.tenants();
    out.add(counter("drover_tenant_tasks_submitted", "Tasks accepted from a tenant's connections (a job's subtasks each)", tenants, TenantCounts::submitted));
    out.add(counter("drover_tenant_tasks_completed", "A tenant's tasks answered or dropped", tenants, TenantCounts::completed));
    out.add(counter("drover_tenant_requests_denied", "A tenant's requests refused with PERMISSION_DENIED", tenants, TenantCounts::denied));
    out.add(gauge("drover_tenant_tasks_in_flight", "A tenant's tasks accepted and not yet answered", tenants, TenantCounts::inFlight));
    out.add(gauge("drover_tenant_connections", "Client connections authenticated as a tenant, open now", tenants, TenantCounts::connections));
    CounterSnapshot.Builder failures =
        CounterSnapshot.builder()
            .name("drover_client_auth_failures")
            .help("Client connections refused UNAUTHENTICATED, by reason (no_auth_frame, unknown_token, other_tenant)");
    t.authFailures().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> failures.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("reason", e.getKey())).value(e.getValue()).build()));
    out.add(failures.build());
  }

  private static CounterSnapshot counter(String name, String help, List<TenantCounts> tenants, ToLongFunction<TenantCounts> value) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    for (TenantCounts c : tenants) {
      b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("tenant", c.name())).value(value.applyAsLong(c)).build());
    }
    return b.build();
  }

  private static GaugeSnapshot gauge(String name, String help, List<TenantCounts> tenants, ToLongFunction<TenantCounts> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    for (TenantCounts c : tenants) {
      b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("tenant", c.name())).value(value.applyAsLong(c)).build());
    }
    return b.build();
  }
}
