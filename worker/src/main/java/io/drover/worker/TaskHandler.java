package io.drover.worker;

/**
 * Runs one type of task. This is the interface users implement and put in a jar on the worker
 * classpath; the worker finds implementations with {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/io.drover.worker.TaskHandler}) or takes them in code through {@link
 * DroverWorkerBuilder#handler(TaskHandler)}.
 *
 * <p>Implementations must be thread-safe: a worker calls {@link #handle} from up to its capacity
 * of threads at once. A handler that throws fails only its task (status {@code HANDLER_ERROR},
 * with the exception's message); the worker stays up.
 */
public interface TaskHandler {
  /** The task type this handler serves, for example {@code "echo"}; at most 255 UTF-8 bytes. */
  String taskType();

  /**
   * Runs one task.
   *
   * @param context the task's id, attempt and cancellation flag
   * @param payload the bytes the client sent, unchanged
   * @return the result bytes sent back to the client (never {@code null}; return an empty array
   *     for no result)
   * @throws Exception to fail the task with {@code HANDLER_ERROR}
   */
  byte[] handle(TaskContext context, byte[] payload) throws Exception;

  /**
   * Whether {@link #handle} always finishes within microseconds and never blocks (no I/O, no
   * locks, no sleeping). Such a handler runs directly on the worker's I/O thread, which saves the
   * two thread hand-offs a pooled task costs; a slow one there would hold up every other task of
   * the worker, so the default is {@code false}.
   */
  default boolean isNonBlocking() {
    return false;
  }
}
