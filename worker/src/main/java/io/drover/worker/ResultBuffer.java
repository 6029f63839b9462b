package io.drover.worker;

import java.nio.ByteBuffer;

/**
 * Where a handler of the {@link TaskHandler#handle(TaskContext, ByteBuffer, ResultBuffer)} form
 * puts its result: either it claims a buffer and writes into it (for a large result the buffer
 * lies in shared memory, so the result reaches the master without a copy through the socket), or
 * it sets a byte array. A handler that does neither returns an empty result. Use it from the
 * handler's thread only and only until {@code handle} returns.
 */
public interface ResultBuffer {
  /**
   * A writable buffer of {@code capacity} bytes, position 0 and limit {@code capacity}: the result
   * is what lies before its position when {@code handle} returns. Call it at most once per task,
   * and not together with {@link #set}.
   *
   * @throws IllegalArgumentException if {@code capacity} is negative
   * @throws IllegalStateException if the result was claimed or set already
   */
  ByteBuffer claim(int capacity);

  /**
   * The result is {@code bytes}, which the runtime keeps (do not change them afterwards).
   *
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalStateException if the result was claimed or set already
   */
  void set(byte[] bytes);
}
