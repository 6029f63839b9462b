package io.drover.worker.internal;

import io.drover.protocol.Traceparent;
import org.slf4j.MDC;

/**
 * Puts a task's trace ids in the SLF4J MDC of the thread running its handler, so that the lines
 * the handler logs carry them ({@code %X{trace_id}} in a log pattern). Used only for tasks that
 * carry a traceparent: the others never touch the MDC.
 */
public final class TraceMdc {
  /** MDC key of the trace id (32 lowercase hex digits). */
  public static final String TRACE_ID = "trace_id";
  /** MDC key of the client's span id (16 lowercase hex digits), the handler's parent span. */
  public static final String SPAN_ID = "span_id";

  private TraceMdc() {}

  /** Sets the ids of a well-formed {@code traceparent} on this thread. */
  public static void put(String traceparent) {
    MDC.put(TRACE_ID, Traceparent.traceId(traceparent));
    MDC.put(SPAN_ID, Traceparent.spanId(traceparent));
  }

  /** Removes them again, before the thread runs another task. */
  public static void clear() {
    MDC.remove(TRACE_ID);
    MDC.remove(SPAN_ID);
  }
}
