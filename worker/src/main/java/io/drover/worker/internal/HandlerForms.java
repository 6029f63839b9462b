package io.drover.worker.internal;

import io.drover.worker.ResultBuffer;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.ByteBuffer;

/**
 * Which of {@link TaskHandler}'s two forms a handler class implements, looked up once per class:
 * the array form, the buffer form, or both.
 */
public final class HandlerForms {
  private static final ClassValue<Boolean> ARRAYS = overrides("handle", TaskContext.class, byte[].class);
  private static final ClassValue<Boolean> BUFFERS =
      overrides("handle", TaskContext.class, ByteBuffer.class, ResultBuffer.class);

  private HandlerForms() {}

  /**
   * Whether {@code handler} runs a task in its buffer form: when it implements no other, or when
   * it implements both and the payload is in shared memory (an array would cost a copy).
   */
  static boolean takesBuffers(TaskHandler handler, boolean payloadInSharedMemory) {
    Class<?> c = handler.getClass();
    if (!BUFFERS.get(c)) {
      return false;
    }
    return payloadInSharedMemory || !ARRAYS.get(c);
  }

  /** Whether {@code handler}'s class implements the buffer form (itself or a superclass). */
  public static boolean implementsBuffers(TaskHandler handler) {
    return BUFFERS.get(handler.getClass());
  }

  private static ClassValue<Boolean> overrides(String name, Class<?>... parameters) {
    return new ClassValue<>() {
      @Override
      protected Boolean computeValue(Class<?> type) {
        try {
          return type.getMethod(name, parameters).getDeclaringClass() != TaskHandler.class;
        } catch (NoSuchMethodException e) {
          return false;
        }
      }
    };
  }
}
