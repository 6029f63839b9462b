package io.drover.master.internal.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The master's metrics in a Prometheus exposition format, for {@code GET /metrics}: the Drover
 * metrics (docs/OPERATIONS.md, "Metrics") and the JVM's own. Rendered by the Prometheus Java
 * client's writers, in OpenMetrics text when the Accept header asks for it and in the Prometheus
 * text format 0.0.4 otherwise (also for an Accept header it does not understand).
 *
 * <p>It renders copies of the counters that their owners made ({@link MasterMetrics}), so it never
 * blocks and may run on the admin loop.
 */
public final class MetricsScrape {
  /**
   * A rendered scrape.
   *
   * @param contentType the value for the Content-Type header
   * @param body the exposition text
   */
  public record Response(String contentType, byte[] body) {}

  private MetricsScrape() {}

  /**
   * Renders {@code metrics} and the JVM's metrics now.
   *
   * @param acceptHeader the request's Accept header, or null: OpenMetrics text when it accepts
   *     {@code application/openmetrics-text}, else the Prometheus text format 0.0.4
   */
  public static Response render(MasterMetrics metrics, String acceptHeader) {
    ExpositionFormats formats = Jvm.FORMATS;
    ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
    if (!writer.isAvailable() || writer == formats.getPrometheusProtobufWriter()) {
      writer = formats.getPrometheusTextFormatWriter(); // protobuf needs a module Drover does not ship
    }
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    DroverCollector.collect(metrics).forEach(all::metricSnapshot);
    Jvm.REGISTRY.scrape().forEach(all::metricSnapshot);
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, all.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return new Response(writer.getContentType(), out.toByteArray());
  }

  /**
   * The JVM's metrics, one registry for the process, made at the first scrape (loading the
   * Prometheus client and the MXBeans takes time that start-up should not spend). One per
   * process because JvmMetrics remembers every registry it was registered with in a static set:
   * a registry per master would keep each closed master reachable (tests start many masters).
   */
  private static final class Jvm {
    static final PrometheusRegistry REGISTRY = registry();
    static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private static PrometheusRegistry registry() {
      PrometheusRegistry jvm = new PrometheusRegistry();
      JvmMetrics.builder().register(jvm);
      return jvm;
    }
  }
}
