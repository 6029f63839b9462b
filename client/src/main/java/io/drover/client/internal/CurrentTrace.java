package io.drover.client.internal;

/**
 * The traceparent of the current OpenTelemetry span, when the OpenTelemetry API is on the
 * classpath. It is an optional dependency of the client: without it, {@link #traceparent()} is
 * null and no OpenTelemetry class is ever loaded ({@link OpenTelemetrySpan} is reached only once
 * the API has been found).
 */
public final class CurrentTrace {
  private static final boolean OPEN_TELEMETRY = openTelemetryPresent();

  private CurrentTrace() {}

  /** The current span's traceparent, or null (no OpenTelemetry, or no valid span current). */
  public static String traceparent() {
    return OPEN_TELEMETRY ? OpenTelemetrySpan.currentTraceparent() : null;
  }

  private static boolean openTelemetryPresent() {
    try {
      Class.forName("io.opentelemetry.api.trace.Span", false, CurrentTrace.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
