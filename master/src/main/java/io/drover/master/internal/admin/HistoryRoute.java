package io.drover.master.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code GET /status/history[?after=MILLIS]}: the {@link StatusSampler}'s samples as JSON, all of
 * them or those that ended after {@code after} (what a page that polls has not seen yet). Answered
 * on the admin loop, which owns the samples. Its shape is documented in docs/OPERATIONS.md.
 */
final class HistoryRoute implements AdminRoute {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final StatusSampler sampler;

  private HistoryRoute(StatusSampler sampler) {
    this.sampler = sampler;
  }

  /** The route, with a sampler of {@code source} started on {@code adminLoop}. */
  static HistoryRoute sampling(StatusSource source, ScheduledExecutorService adminLoop) {
    return new HistoryRoute(StatusSampler.start(source, adminLoop));
  }

  @Override
  public CompletionStage<AdminResponse> respond(AdminRequest request) {
    String after = request.parameter("after");
    long afterMillis;
    try {
      afterMillis = after == null ? Long.MIN_VALUE : Long.parseLong(after);
    } catch (NumberFormatException e) {
      return CompletableFuture.completedFuture(
          AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "after: " + AdminRouter.printable(after) + " (expected: milliseconds since the epoch)"));
    }
    return CompletableFuture.completedFuture(AdminResponse.json(HttpResponseStatus.OK, render(sampler.history(), afterMillis)));
  }

  static byte[] render(StatusHistory history, long afterMillis) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("intervalSeconds", StatusSampler.INTERVAL_MILLIS / 1000.0);
    root.put("capacity", history.capacity());
    root.put("latencyHistograms", history.hasLatency());
    ArrayNode samples = root.putArray("samples");
    for (HistorySample s : history.samplesAfter(afterMillis)) {
      ObjectNode n = samples.addObject();
      n.put("atMillis", s.atMillis());
      n.put("seconds", round3(s.seconds()));
      n.put("completed", s.completed());
      n.put("tasksPerSecond", round3(s.tasksPerSecond()));
      n.put("waiting", s.waiting());
      n.put("inFlight", s.inFlight());
      n.put("workersReady", s.workersReady());
      seconds(n, "runP50Seconds", s.runP50Seconds());
      seconds(n, "runP99Seconds", s.runP99Seconds());
      seconds(n, "waitP50Seconds", s.waitP50Seconds());
      seconds(n, "waitP99Seconds", s.waitP99Seconds());
    }
    try {
      return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the status history", e);
    }
  }

  private static void seconds(ObjectNode n, String field, double seconds) {
    if (Double.isNaN(seconds)) {
      n.putNull(field);
    } else {
      // Microsecond precision: the narrowest bucket is 100 µs wide.
      n.put(field, Math.round(seconds * 1e6) / 1e6);
    }
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
