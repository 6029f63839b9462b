/**
 * Prometheus metrics of a running master: {@link io.drover.master.internal.metrics.MetricsScrape}
 * renders them for {@code GET /metrics}. The task path only increments plain counters owned by the
 * dispatch loop; a scrape copies them there and builds the Prometheus snapshots on its own thread.
 */
package io.drover.master.internal.metrics;
