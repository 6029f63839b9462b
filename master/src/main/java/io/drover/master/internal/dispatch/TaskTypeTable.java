package io.drover.master.internal.dispatch;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds a {@link TaskType} from the type's bytes inside a frame, without allocating a String per
 * task. Types are few, so an open-addressing table keyed by the bytes' hash is plenty.
 */
final class TaskTypeTable {
  /**
   * Types with metrics of their own; the rest share one set labelled {@code "other"}, so that a
   * worker serving generated type names cannot grow the metrics without bound.
   */
  static final int MAX_LABELLED_TYPES = 1000;

  private TaskType[] slots = new TaskType[16];
  private final List<TaskType> all = new ArrayList<>();
  /** Every distinct {@link TaskStats}, in order of creation; "other" once, if needed. */
  private final List<TaskStats> stats = new ArrayList<>();
  private TaskStats other;

  /** The type whose name is {@code length} bytes of {@code buf} at {@code index}, or null. */
  TaskType find(ByteBuf buf, int index, int length) {
    int h = hash(buf, index, length);
    TaskType[] s = slots;
    for (int i = h & (s.length - 1); ; i = (i + 1) & (s.length - 1)) {
      TaskType t = s[i];
      if (t == null) {
        return null;
      }
      if (t.hash == h && sameBytes(t.utf8, buf, index, length)) {
        return t;
      }
    }
  }

  /** The type named {@code name}, created if new. */
  TaskType getOrCreate(String name) {
    for (TaskType t : all) {
      if (t.name.equals(name)) {
        return t;
      }
    }
    TaskType t = new TaskType(name, statsFor(name));
    all.add(t);
    if (all.size() * 2 > slots.length) {
      slots = new TaskType[slots.length * 2];
      all.forEach(this::insert);
    } else {
      insert(t);
    }
    return t;
  }

  private TaskStats statsFor(String name) {
    if (all.size() < MAX_LABELLED_TYPES) {
      TaskStats s = new TaskStats(name);
      stats.add(s);
      return s;
    }
    if (other == null) {
      other = new TaskStats("other");
      stats.add(other);
    }
    return other;
  }

  /** The counters of every type, each once. */
  List<TaskStats> stats() {
    return stats;
  }

  /** Every type known so far. */
  List<TaskType> all() {
    return all;
  }

  /** Names of the types that some worker serves now, sorted, for error messages. */
  String servedNames() {
    return Arrays.toString(
        all.stream().filter(t -> !t.workers.isEmpty()).map(t -> t.name).sorted().toArray());
  }

  private void insert(TaskType t) {
    for (int i = t.hash & (slots.length - 1); ; i = (i + 1) & (slots.length - 1)) {
      if (slots[i] == null) {
        slots[i] = t;
        return;
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

  static int hash(byte[] bytes) {
    int h = 1;
    for (byte b : bytes) {
      h = 31 * h + b;
    }
    return mix(h);
  }

  static int hash(ByteBuf buf, int index, int length) {
    int h = 1;
    for (int i = 0; i < length; i++) {
      h = 31 * h + buf.getByte(index + i);
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
