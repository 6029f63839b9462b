package io.drover.bench.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one run: throughput, latency percentiles of OK replies (µs), errors by status
 * and the parameters, printable as text or as one JSON object.
 *
 * @param settings the run's parameters
 * @param windowSeconds the measured window's actual length
 * @param tasksPerSecond replies received inside the window divided by its length
 * @param ok OK replies counted
 * @param errorsByStatus failed tasks by status name ({@code CLIENT_TIMEOUT}, {@code
 *     CONNECTION_LOST} for tasks never answered)
 * @param sentPerSecond open loop: tasks actually sent per second inside the window
 * @param maxSendLagMicros open loop: the most a send was later than its intended time
 * @param loopCpuPercent CPU time of the generator's event loop thread over the window, in % of one
 *     core (near 100 means the generator itself was the bottleneck)
 * @param processCpuPercent CPU time of the whole generator JVM over the window, in % of one core
 * @param unexpectedReplies replies whose request id was not in flight (late after a timeout,
 *     duplicated or misrouted)
 * @param connectionFailures why connections could not be replaced (reconnect bound passed)
 * @param reconnects connections made to replace one that got a GOAWAY or was lost
 * @param histogram the latencies of OK replies in nanoseconds
 */
public record LoadReport(
    LoadSettings settings,
    double windowSeconds,
    double tasksPerSecond,
    long ok,
    Map<String, Long> errorsByStatus,
    double sentPerSecond,
    double maxSendLagMicros,
    double loopCpuPercent,
    double processCpuPercent,
    long unexpectedReplies,
    List<String> connectionFailures,
    long reconnects,
    Histogram histogram) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static LoadReport of(
      LoadSettings settings,
      LoadRecorder recorder,
      List<String> connectionFailures,
      long reconnects,
      long loopCpuNanos,
      long processCpuNanos) {
    double window = recorder.windowNanos() / 1e9;
    double perSecond = window > 0 ? 1 / window : 0;
    double cpuPercent = window > 0 ? 100 / (window * 1e9) : 0;
    return new LoadReport(
        settings,
        window,
        recorder.completedInWindow() * perSecond,
        recorder.ok(),
        recorder.errorsByStatus(),
        recorder.sentInWindow() * perSecond,
        recorder.maxSendLagNanos() / 1e3,
        loopCpuNanos * cpuPercent,
        processCpuNanos * cpuPercent,
        recorder.unexpectedReplies(),
        connectionFailures,
        reconnects,
        recorder.histogram());
  }

  /** Failed tasks, all statuses together. */
  public long errors() {
    return errorsByStatus.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The latency of OK replies at {@code percentile} (0–100), in µs. */
  public double percentileMicros(double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e3;
  }

  /** Open loop: whether the generator sent at least 99% of the requested rate. */
  public boolean keptUp() {
    return !settings.openLoop() || sentPerSecond >= 0.99 * settings.rate();
  }

  /** 0 when the run completed without errors or lost connections, else 1. */
  public int exitCode() {
    return errors() == 0 && connectionFailures.isEmpty() ? 0 : 1;
  }

  /** The report as an ordered map, the shape of the JSON output. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("mode", settings.mode());
    map.put("host", settings.host());
    map.put("port", settings.port());
    map.put("type", settings.taskType());
    map.put("payload_bytes", settings.payloadBytes());
    map.put("connections", settings.connections());
    map.put("concurrency", settings.concurrency());
    map.put("rate", settings.rate());
    map.put("expect_echo_frames", settings.expectEchoFrames());
    map.put("duration_s", settings.durationSeconds());
    map.put("warmup_s", settings.warmupSeconds());
    map.put("window_s", round(windowSeconds));
    map.put("tasks_per_s", round(tasksPerSecond));
    map.put("p50_us", percentileMicros(50));
    map.put("p90_us", percentileMicros(90));
    map.put("p99_us", percentileMicros(99));
    map.put("p999_us", percentileMicros(99.9));
    map.put("max_us", histogram.getTotalCount() == 0 ? 0.0 : histogram.getMaxValue() / 1e3);
    map.put("mean_us", round(histogram.getTotalCount() == 0 ? 0 : histogram.getMean() / 1e3));
    map.put("ok", ok);
    map.put("errors", errors());
    map.put("errors_by_status", errorsByStatus);
    map.put("unexpected_replies", unexpectedReplies);
    if (settings.openLoop()) {
      map.put("sent_per_s", round(sentPerSecond));
      map.put("max_send_lag_us", round(maxSendLagMicros));
      map.put("generator_kept_up", keptUp());
    }
    map.put("generator_loop_cpu_pct", round(loopCpuPercent));
    map.put("generator_process_cpu_pct", round(processCpuPercent));
    map.put("connection_failures", connectionFailures);
    map.put("reconnects", reconnects);
    return map;
  }

  /** The report as one JSON object on one line. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints the report for people. */
  public void printText(PrintStream out) {
    out.printf(
        "%s loop, %d connections x %s, %s, %d-byte payloads, %.1f s measured%n",
        settings.mode(),
        settings.connections(),
        settings.openLoop()
            ? String.format("rate %.0f/s (cap %d in flight)", settings.rate(), settings.concurrency())
            : settings.concurrency() + " in flight",
        settings.taskType(),
        settings.payloadBytes(),
        windowSeconds);
    out.printf("tasks/s      %,.0f%n", tasksPerSecond);
    out.printf(
        "latency µs   p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
        percentileMicros(50),
        percentileMicros(90),
        percentileMicros(99),
        percentileMicros(99.9),
        histogram.getTotalCount() == 0 ? 0.0 : histogram.getMaxValue() / 1e3);
    out.printf("ok           %,d%n", ok);
    out.printf("errors       %,d %s%n", errors(), errorsByStatus.isEmpty() ? "" : errorsByStatus);
    if (unexpectedReplies > 0) {
      out.printf("unexpected   %,d replies to no task in flight%n", unexpectedReplies);
    }
    if (settings.openLoop()) {
      out.printf(
          "sent/s       %,.0f of %,.0f requested, max send lag %.1f µs%s%n",
          sentPerSecond,
          settings.rate(),
          maxSendLagMicros,
          keptUp() ? "" : "  (GENERATOR DID NOT KEEP UP)");
    }
    out.printf(
        "generator    event loop %.0f%% of a core, process %.0f%%%n",
        loopCpuPercent, processCpuPercent);
    for (String failure : connectionFailures) {
      out.println("connection failed: " + failure);
    }
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
