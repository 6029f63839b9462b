package io.drover.worker;

import java.nio.ByteBuffer;

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
   * Runs one task, with the payload as an array. Implement this form, the {@link
   * #handle(TaskContext, ByteBuffer, ResultBuffer) buffer form}, or both. The default, for a
   * handler of the buffer form alone, runs that form over the array (an inline master calls this
   * form).
   *
   * @param context the task's id, attempt and cancellation flag
   * @param payload the bytes the client sent, unchanged
   * @return the result bytes sent back to the client (never {@code null}; return an empty array
   *     for no result)
   * @throws Exception to fail the task with {@code HANDLER_ERROR}
   */
  default byte[] handle(TaskContext context, byte[] payload) throws Exception {
    if (!io.drover.worker.internal.HandlerForms.implementsBuffers(this)) {
      throw new UnsupportedOperationException(
          getClass().getName() + " implements neither handle(TaskContext, byte[]) nor handle(TaskContext, ByteBuffer, ResultBuffer)");
    }
    // A handler of the buffer form alone, called with an array (an inline master, a test).
    io.drover.worker.internal.ArrayResult result = new io.drover.worker.internal.ArrayResult();
    handle(context, ByteBuffer.wrap(payload).asReadOnlyBuffer(), result);
    return result.bytes();
  }

  /**
   * Runs one task without copying its payload: {@code payload} is a read-only view of the bytes
   * the client sent, in shared memory when they are large (at least the master's {@code
   * --shm-threshold-kib}), and the result goes into {@code result}, whose claimed buffer is in
   * shared memory when it is large. Neither may be used after this method returns: the payload's
   * memory then goes to another task.
   *
   * <p>The runtime calls this form for every task when the handler implements it alone, and for
   * payloads in shared memory when it implements both (the array form then serves payloads that
   * came in the socket frame, whose bytes are in an array already). The default copies the payload
   * into an array and calls {@link #handle(TaskContext, byte[])}.
   *
   * @throws Exception to fail the task with {@code HANDLER_ERROR}
   */
  default void handle(TaskContext context, ByteBuffer payload, ResultBuffer result) throws Exception {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    byte[] out = handle(context, bytes);
    if (out == null) {
      throw new NullPointerException("handler for '" + taskType() + "' returned null");
    }
    result.set(out);
  }

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
