package io.drover.client.internal;

import java.util.Arrays;

/**
 * The requests a connection has sent and not yet seen answered, by request id: an array of slots
 * and a stack of free ones, growing when full. A request id is its slot in the low {@value
 * #SLOT_BITS} bits and the slot's use count above them, so an answer to a request given up on
 * (timed out, cancelled) whose slot holds a newer one is told apart by its id. Finding, adding and
 * removing cost one array access each and allocate nothing; a hash map keyed by sequential ids
 * does not: with linear probing its removals shift ever longer runs of entries as thousands are in
 * flight. Used on the event loop only.
 */
final class PendingTable {
  /** Bits of a request id that hold its slot. */
  static final int SLOT_BITS = 24;
  /** Most requests a table holds at once. */
  static final int MAX_SLOTS = 1 << SLOT_BITS;

  private static final long SLOT_MASK = MAX_SLOTS - 1;

  private PendingTask<?>[] tasks;
  /** Per slot: times it was taken, so that ids stay unique on the connection. */
  private long[] uses;
  private int[] free;
  private int freeCount;
  private int size;

  PendingTable(int initialSlots) {
    if (initialSlots <= 0 || initialSlots > MAX_SLOTS) {
      throw new IllegalArgumentException("initialSlots: " + initialSlots + " (expected: 1.." + MAX_SLOTS + ")");
    }
    tasks = new PendingTask<?>[initialSlots];
    uses = new long[initialSlots];
    free = new int[initialSlots];
    pushFree(0, initialSlots);
  }

  /** Requests held. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Gives {@code task} a slot and sets its {@link PendingTask#id} (always &gt; 0). */
  long add(PendingTask<?> task) {
    if (freeCount == 0) {
      grow();
    }
    int slot = free[--freeCount];
    long id = (++uses[slot] << SLOT_BITS) | slot;
    tasks[slot] = task;
    task.id = id;
    size++;
    return id;
  }

  /** The request with {@code id}, or null when none holds it. */
  PendingTask<?> get(long id) {
    int slot = (int) (id & SLOT_MASK);
    if (id <= 0 || slot >= tasks.length) {
      return null;
    }
    PendingTask<?> task = tasks[slot];
    return task != null && task.id == id ? task : null;
  }

  /** Removes and returns the request with {@code id}, or null when none holds it. */
  PendingTask<?> remove(long id) {
    PendingTask<?> task = get(id);
    if (task != null) {
      int slot = (int) (id & SLOT_MASK);
      tasks[slot] = null;
      free[freeCount++] = slot;
      size--;
    }
    return task;
  }

  /** Removes every request and returns them, in slot order. */
  PendingTask<?>[] removeAll() {
    PendingTask<?>[] all = new PendingTask<?>[size];
    int n = 0;
    for (int slot = 0; slot < tasks.length && n < all.length; slot++) {
      PendingTask<?> task = tasks[slot];
      if (task != null) {
        all[n++] = task;
        tasks[slot] = null;
      }
    }
    freeCount = 0;
    pushFree(0, tasks.length);
    size = 0;
    return all;
  }

  private void grow() {
    int old = tasks.length;
    if (old == MAX_SLOTS) {
      throw new IllegalStateException("more than " + MAX_SLOTS + " requests in flight on one connection");
    }
    int slots = Math.min(MAX_SLOTS, old * 2);
    tasks = Arrays.copyOf(tasks, slots);
    uses = Arrays.copyOf(uses, slots);
    free = Arrays.copyOf(free, slots);
    pushFree(old, slots);
  }

  /** Pushes slots {@code from}..{@code to - 1} so that the lowest is taken first. */
  private void pushFree(int from, int to) {
    for (int slot = to - 1; slot >= from; slot--) {
      free[freeCount++] = slot;
    }
  }
}
