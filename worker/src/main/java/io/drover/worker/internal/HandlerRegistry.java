package io.drover.worker.internal;

import io.drover.worker.TaskHandler;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The handlers of one worker, found by the UTF-8 bytes of a task type straight from a frame, so
 * that dispatching a task allocates no {@code String}. An open-addressing table keyed by a hash
 * of the bytes; it is immutable once built and read by the event loop only.
 */
public final class HandlerRegistry {
  private final Entry[] table;
  private final List<String> taskTypes;

  /** One handler and its type, as a {@code String} (for {@code TaskContext}) and as bytes. */
  public record Entry(TaskHandler handler, String taskType, byte[] taskTypeBytes) {}

  /**
   * Builds a registry of {@code handlers}, whose task types the caller has checked are distinct
   * and non-empty.
   */
  public HandlerRegistry(List<TaskHandler> handlers) {
    int size = Integer.highestOneBit(Math.max(4, handlers.size() * 4 - 1)) << 1;
    table = new Entry[size];
    List<String> types = new ArrayList<>(handlers.size());
    for (TaskHandler handler : handlers) {
      String type = handler.taskType();
      byte[] bytes = type.getBytes(StandardCharsets.UTF_8);
      int i = hash(bytes) & (size - 1);
      while (table[i] != null) {
        i = (i + 1) & (size - 1);
      }
      table[i] = new Entry(handler, type, bytes);
      types.add(type);
    }
    taskTypes = Collections.unmodifiableList(types);
  }

  /** The served task types, in the order the handlers were given. */
  public List<String> taskTypes() {
    return taskTypes;
  }

  /** Whether no handler is registered. */
  public boolean isEmpty() {
    return taskTypes.isEmpty();
  }

  /**
   * The handler for the task type stored in {@code buf} at absolute {@code index} for {@code
   * length} bytes, or {@code null} when none serves it.
   */
  public Entry find(ByteBuf buf, int index, int length) {
    int h = 1;
    for (int i = 0; i < length; i++) {
      h = 31 * h + buf.getByte(index + i);
    }
    int mask = table.length - 1;
    for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
      Entry e = table[i];
      if (e == null) {
        return null;
      }
      if (sameBytes(e.taskTypeBytes, buf, index, length)) {
        return e;
      }
    }
  }

  private static boolean sameBytes(byte[] a, ByteBuf buf, int index, int length) {
    if (a.length != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (a[i] != buf.getByte(index + i)) {
        return false;
      }
    }
    return true;
  }

  private static int hash(byte[] bytes) {
    int h = 1;
    for (byte b : bytes) {
      h = 31 * h + b;
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
