package io.drover.worker;

import io.drover.protocol.Traceparent;
import java.util.Optional;

/** What a {@link TaskHandler} may know about the task it runs. */
public interface TaskContext {
  /** The master-assigned id of this task, unique within one master's lifetime. */
  long taskId();

  /** The task type the client asked for. */
  String taskType();

  /** 1 for the first run of this task, 2 for its first retry on another worker, and so on. */
  int attempt();

  /** The id of the worker slot running this task. */
  int workerId();

  /**
   * Whether the task has been cancelled (deadline passed, client cancelled, worker draining
   * forcibly). Long-running handlers should check it and give up early; the running thread is
   * also interrupted.
   */
  boolean isCancelled();

  /**
   * The W3C trace context the client sent with the task (its {@code traceparent}, e.g. {@code
   * 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}), to continue the client's trace in
   * the handler; empty when the task has none. While the handler runs, the SLF4J MDC also holds its
   * {@code trace_id} and {@code span_id} (the client's span). The default, for contexts built in
   * tests, has none.
   */
  default Optional<String> traceparent() {
    return Optional.empty();
  }

  /** The trace id (32 lowercase hex digits) of {@link #traceparent()}; empty when there is none. */
  default Optional<String> traceId() {
    return traceparent().map(Traceparent::traceId);
  }
}
