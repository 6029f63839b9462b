package io.drover.client.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Reads the current span through the OpenTelemetry API; loaded only when {@link CurrentTrace}
 * found the API on the classpath.
 */
final class OpenTelemetrySpan {
  private OpenTelemetrySpan() {}

  /** The current span's traceparent, or null when no valid span is current. */
  static String currentTraceparent() {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid()) {
      return null;
    }
    // A valid SpanContext's ids are lowercase hex of the right lengths already.
    return "00-" + span.getTraceId() + '-' + span.getSpanId() + '-' + span.getTraceFlags().asHex();
  }
}
