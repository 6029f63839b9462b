package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.nio.charset.StandardCharsets;

/**
 * Task type {@code "allocate"}: allocates the payload's number of MiB of native memory (outside
 * the Java heap, so that no heap limit stops it), writes to every page so that the kernel really
 * commits it, frees it and answers {@code "allocated N MiB"}. Past a worker's memory limit, the
 * kernel kills the worker before the answer.
 */
public final class NativeMemoryHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "allocate";
  private static final long CHUNK = 16L << 20;

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    long mib = Long.parseLong(new String(payload, StandardCharsets.US_ASCII).trim());
    sun.misc.Unsafe unsafe = unsafe();
    long[] chunks = new long[(int) Math.max(1, (mib << 20) / CHUNK)];
    int allocated = 0;
    try {
      for (; allocated < chunks.length; allocated++) {
        chunks[allocated] = unsafe.allocateMemory(CHUNK);
        unsafe.setMemory(chunks[allocated], CHUNK, (byte) 1);
      }
    } finally {
      for (int i = 0; i < allocated; i++) {
        unsafe.freeMemory(chunks[i]);
      }
    }
    return ("allocated " + mib + " MiB").getBytes(StandardCharsets.US_ASCII);
  }

  private static sun.misc.Unsafe unsafe() {
    try {
      java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach sun.misc.Unsafe to allocate native memory", e);
    }
  }
}
