package io.drover.worker.internal;

import io.drover.worker.ResultBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link ResultBuffer} on the heap, for running a handler of the buffer form where an array is
 * wanted ({@link io.drover.worker.TaskHandler#handle(io.drover.worker.TaskContext, byte[])}'s
 * default): the result is what was set, or what lies before the claimed buffer's position.
 */
public final class ArrayResult implements ResultBuffer {
  private ByteBuffer claimed;
  private byte[] set;

  @Override
  public ByteBuffer claim(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
    }
    checkUnused();
    claimed = ByteBuffer.allocate(capacity);
    return claimed;
  }

  @Override
  public void set(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    checkUnused();
    set = bytes;
  }

  /** The result: the bytes set, those written before the claimed buffer's position, or none. */
  public byte[] bytes() {
    if (set != null) {
      return set;
    }
    return claimed == null ? new byte[0] : Arrays.copyOf(claimed.array(), claimed.position());
  }

  private void checkUnused() {
    if (claimed != null || set != null) {
      throw new IllegalStateException("the result was claimed or set already");
    }
  }
}
