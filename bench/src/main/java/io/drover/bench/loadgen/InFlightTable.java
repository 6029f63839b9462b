package io.drover.bench.loadgen;

/**
 * The tasks one connection has in flight: a fixed set of slots, each holding a send time, and a
 * stack of free slots. A request id encodes its slot and a generation, so a reply to a task
 * already given up on (timed out) is recognised as stale. Tables of different connections use
 * disjoint generations (first + k × stride), so ids are unique across connections and a reply
 * routed to the wrong connection is noticed. Allocates nothing after construction.
 */
final class InFlightTable {
  /** Most slots a table may have; request ids keep the slot in their low 20 bits. */
  static final int MAX_SLOTS = 1 << 20;

  private static final int SLOT_BITS = 20;
  private static final long SLOT_MASK = MAX_SLOTS - 1;

  private final long[] sendNanos;
  private final long[] ids;
  private final int[] free;
  private int freeCount;
  private final long generationStride;
  private long nextGeneration;

  InFlightTable(int slots) {
    this(slots, 1, 1);
  }

  InFlightTable(int slots, long firstGeneration, long generationStride) {
    if (firstGeneration <= 0 || generationStride <= 0) {
      throw new IllegalArgumentException(
          "generations: " + firstGeneration + " + k * " + generationStride + " (expected: > 0)");
    }
    this.nextGeneration = firstGeneration;
    this.generationStride = generationStride;
    if (slots <= 0 || slots > MAX_SLOTS) {
      throw new IllegalArgumentException("slots: " + slots + " (expected: 1.." + MAX_SLOTS + ")");
    }
    sendNanos = new long[slots];
    ids = new long[slots];
    free = new int[slots];
    for (int i = 0; i < slots; i++) {
      free[i] = slots - 1 - i;
    }
    freeCount = slots;
  }

  /** Whether a slot is free. */
  boolean hasRoom() {
    return freeCount > 0;
  }

  /** Tasks in flight. */
  int inFlight() {
    return free.length - freeCount;
  }

  /**
   * Takes a free slot for a task sent (or due) at {@code sendNanos}.
   *
   * @return the task's request id (always &gt; 0), or 0 when every slot is taken
   */
  long acquire(long sendNanos) {
    if (freeCount == 0) {
      return 0;
    }
    int slot = free[--freeCount];
    long id = (nextGeneration << SLOT_BITS) | slot;
    nextGeneration += generationStride;
    ids[slot] = id;
    this.sendNanos[slot] = sendNanos;
    return id;
  }

  /**
   * Frees the slot of request {@code id}.
   *
   * @return the task's send time, or {@link Long#MIN_VALUE} when {@code id} is not in flight
   */
  long complete(long id) {
    int slot = (int) (id & SLOT_MASK);
    if (id <= 0 || slot >= ids.length || ids[slot] != id) {
      return Long.MIN_VALUE;
    }
    ids[slot] = 0;
    free[freeCount++] = slot;
    return sendNanos[slot];
  }

  /** Calls {@code expired} for, and frees, every task sent before {@code deadlineNanos}. */
  int expire(long deadlineNanos, ExpiredTask expired) {
    int count = 0;
    for (int slot = 0; slot < ids.length; slot++) {
      if (ids[slot] != 0 && sendNanos[slot] - deadlineNanos < 0) {
        long sent = sendNanos[slot];
        complete(ids[slot]);
        expired.onExpired(sent);
        count++;
      }
    }
    return count;
  }

  /** Calls {@code lost} for, and frees, every task in flight. */
  int clear(ExpiredTask lost) {
    int count = 0;
    for (int slot = 0; slot < ids.length; slot++) {
      if (ids[slot] != 0) {
        long sent = sendNanos[slot];
        complete(ids[slot]);
        lost.onExpired(sent);
        count++;
      }
    }
    return count;
  }

  /** Receives the send time of a task that will never be answered. */
  @FunctionalInterface
  interface ExpiredTask {
    void onExpired(long sendNanos);
  }
}
