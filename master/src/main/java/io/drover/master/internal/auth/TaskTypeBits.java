package io.drover.master.internal.auth;

/**
 * A set of task types, by the small dense ids the dispatcher gives them: one bit each, so that
 * asking whether a tenant may run a type is an array read and a bit test. Ids beyond the set's
 * length are not in it.
 */
public final class TaskTypeBits {
  private long[] words = new long[1];

  /** Puts the type with {@code id} (>= 0) in the set. */
  public void add(int id) {
    if (id < 0) {
      throw new IllegalArgumentException("id: " + id + " (expected: >= 0)");
    }
    int w = id >>> 6;
    if (w >= words.length) {
      words = java.util.Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
    }
    words[w] |= 1L << id;
  }

  /** Whether the type with {@code id} is in the set; false for a negative id. */
  public boolean contains(int id) {
    int w = id >>> 6;
    long[] ws = words;
    return id >= 0 && w < ws.length && (ws[w] & (1L << id)) != 0;
  }
}
