package io.drover.master.internal.dispatch;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds a {@link TaskType} from the type's bytes inside a frame, without allocating a String per
 * task. Types are few, so an open-addressing table keyed by the bytes' hash is plenty.
 *
 * <p>The name is read with {@link ByteBuf#forEachByte}: one bounds and liveness check per pass
 * rather than one per byte. The frame is a slice whose reference count lives in an object of its
 * own, cold in the cache when the frame arrives; a profile of the master at a million tasks a second
 * found a tenth of the dispatch loop in those per-byte checks. Dispatch loop only (the processors
 * keep state).
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
  private final Hasher hasher = new Hasher();
  private final Matcher matcher = new Matcher();

  /** The type whose name is {@code length} bytes of {@code buf} at {@code index}, or null. */
  TaskType find(ByteBuf buf, int index, int length) {
    int h = hash(buf, index, length);
    TaskType[] s = slots;
    for (int i = h & (s.length - 1); ; i = (i + 1) & (s.length - 1)) {
      TaskType t = s[i];
      if (t == null) {
        return null;
      }
      if (t.hash == h && matcher.matches(t.utf8, buf, index, length)) {
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
    t.id = all.size();
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

  static int hash(byte[] bytes) {
    int h = 1;
    for (byte b : bytes) {
      h = 31 * h + b;
    }
    return mix(h);
  }

  private int hash(ByteBuf buf, int index, int length) {
    hasher.h = 1;
    buf.forEachByte(index, length, hasher);
    return mix(hasher.h);
  }

  /** The same hash as {@link #hash(byte[])}, over bytes read by {@link ByteBuf#forEachByte}. */
  private static final class Hasher implements ByteProcessor {
    int h;

    @Override
    public boolean process(byte b) {
      h = 31 * h + b;
      return true;
    }
  }

  /** Compares bytes read by {@link ByteBuf#forEachByte} with a name's, stopping at the first difference. */
  private static final class Matcher implements ByteProcessor {
    private byte[] expected;
    private int next;

    boolean matches(byte[] name, ByteBuf buf, int index, int length) {
      if (name.length != length) {
        return false;
      }
      expected = name;
      next = 0;
      return buf.forEachByte(index, length, this) == -1;
    }

    @Override
    public boolean process(byte b) {
      return expected[next++] == b;
    }
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
