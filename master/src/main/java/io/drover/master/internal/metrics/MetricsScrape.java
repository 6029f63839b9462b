package io.drover.master.internal.metrics;

import io.drover.master.internal.dispatch.DispatchMetrics;
import io.drover.master.internal.dispatch.Dispatcher;
import io.drover.master.internal.supervise.SupervisorMetrics;
import io.drover.master.internal.supervise.WorkerSupervisor;
import io.netty.channel.EventLoop;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's metrics in a Prometheus exposition format, for {@code GET /metrics}: the Drover
 * metrics (docs/OPERATIONS.md, "Metrics") and the JVM's own. Rendered by the Prometheus Java
 * client's writers, in OpenMetrics text when the Accept header asks for it and in the Prometheus
 * text format 0.0.4 otherwise.
 *
 * <p>{@link #scrape} blocks up to {@link #OWNER_TIMEOUT_SECONDS} s for each of the dispatch loop
 * and the supervisor thread to copy their counters: call it from a thread that may block (not
 * an event loop serving connections; on the dispatch loop itself it copies directly).
 */
public final class MetricsScrape {
  private static final Logger log = LoggerFactory.getLogger(MetricsScrape.class);
  /** How long a scrape waits for the dispatch loop or the supervisor thread. */
  public static final int OWNER_TIMEOUT_SECONDS = 5;

  /**
   * A rendered scrape.
   *
   * @param contentType the value for the Content-Type header
   * @param body the exposition text
   */
  public record Response(String contentType, byte[] body) {}

  /**
   * The JVM's metrics, one registry for the process: JvmMetrics remembers every registry it was
   * registered with in a static set, so a registry per master would keep each closed master's
   * dispatcher reachable for ever (tests start many masters in one JVM).
   */
  private static final PrometheusRegistry JVM = jvmRegistry();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();

  /**
   * Metrics from the counters these give at each scrape; either may give null (its families are
   * then left out of that scrape). {@link #of} is what a master uses; tests pass their own.
   */
  public MetricsScrape(Supplier<DispatchMetrics> dispatch, Supplier<SupervisorMetrics> supervisor) {
    registry.register(new DroverCollector(dispatch, supervisor));
  }

  private static PrometheusRegistry jvmRegistry() {
    PrometheusRegistry jvm = new PrometheusRegistry();
    JvmMetrics.builder().register(jvm);
    return jvm;
  }

  /**
   * The metrics of a master made of {@code dispatcher} and {@code supervisor} (null when there is
   * none: the worker-slot and restart metrics are then left out).
   */
  public static MetricsScrape of(Dispatcher dispatcher, WorkerSupervisor supervisor) {
    Objects.requireNonNull(dispatcher, "dispatcher");
    return new MetricsScrape(() -> onLoop(dispatcher), supervisor == null ? () -> null : supervisor::metrics);
  }

  /**
   * Renders every metric now.
   *
   * @param acceptHeader the request's Accept header, or null: OpenMetrics text when it accepts
   *     {@code application/openmetrics-text}, else the Prometheus text format 0.0.4
   */
  public Response scrape(String acceptHeader) {
    ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
    if (!writer.isAvailable() || writer == formats.getPrometheusProtobufWriter()) {
      writer = formats.getPrometheusTextFormatWriter(); // protobuf needs a module Drover does not ship
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      MetricSnapshots.Builder all = MetricSnapshots.builder();
      registry.scrape().forEach(all::metricSnapshot);
      JVM.scrape().forEach(all::metricSnapshot);
      writer.write(out, all.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return new Response(writer.getContentType(), out.toByteArray());
  }

  private static DispatchMetrics onLoop(Dispatcher dispatcher) {
    EventLoop loop = dispatcher.loop();
    if (loop.inEventLoop()) {
      return dispatcher.metrics();
    }
    try {
      return loop.submit(dispatcher::metrics).get(OWNER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      log.warn("metrics: the dispatch loop did not give its counters ({}); the task metrics are left out of this scrape", e.toString());
      return null;
    }
  }
}
