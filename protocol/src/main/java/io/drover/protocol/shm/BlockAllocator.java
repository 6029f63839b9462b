package io.drover.protocol.shm;

/**
 * Hands out blocks of a region in whole units (4 KiB) and takes them back, in any order. A bitmap
 * with one bit per unit and a next-fit cursor: allocation and release allocate nothing, and a
 * 64 MiB region costs 2 KiB of bitmap. Not thread-safe: one thread (the owner's event loop) uses
 * it.
 */
public final class BlockAllocator {
  /** Bytes per unit: blocks start at multiples of it. */
  public static final int UNIT_BYTES = 4096;

  private static final int UNIT_SHIFT = 12;

  private final int units;
  private final long[] used;
  private int cursor;
  private int usedUnits;
  private int blocks;

  /**
   * An allocator of a region of {@code regionBytes} (rounded down to whole units).
   *
   * @throws IllegalArgumentException if the region holds no unit, or more than 2^31 units
   */
  public BlockAllocator(long regionBytes) {
    if (regionBytes < UNIT_BYTES || (regionBytes >> UNIT_SHIFT) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "regionBytes: " + regionBytes + " (expected: " + UNIT_BYTES + " to " + ((long) Integer.MAX_VALUE << UNIT_SHIFT) + ")");
    }
    this.units = (int) (regionBytes >> UNIT_SHIFT);
    this.used = new long[(units + 63) >>> 6];
  }

  /** Units a block of {@code bytes} takes. */
  static int unitsFor(int bytes) {
    return (int) ((Integer.toUnsignedLong(bytes) + UNIT_BYTES - 1) >>> UNIT_SHIFT);
  }

  /**
   * Reserves a block of at least {@code bytes} (more than 0) and returns its offset in the region,
   * or -1 when no free run of units is long enough (the caller falls back to the socket).
   */
  public long allocate(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: > 0)");
    }
    int n = unitsFor(bytes);
    if (n > units - usedUnits) {
      return -1;
    }
    int start = find(cursor, units, n);
    if (start < 0) {
      start = find(0, Math.min(units, cursor + n - 1), n);
      if (start < 0) {
        return -1;
      }
    }
    mark(start, n, true);
    usedUnits += n;
    blocks++;
    cursor = start + n == units ? 0 : start + n;
    return (long) start << UNIT_SHIFT;
  }

  /**
   * Gives back the block at {@code offset} that {@link #allocate} returned for {@code bytes}.
   *
   * @throws IllegalStateException if part of it is not allocated (a double free)
   */
  public void free(long offset, int bytes) {
    int start = (int) (offset >>> UNIT_SHIFT);
    int n = unitsFor(bytes);
    if ((offset & (UNIT_BYTES - 1)) != 0 || bytes <= 0 || start + n > units) {
      throw new IllegalArgumentException("block at " + offset + " of " + bytes + " bytes is not in this region");
    }
    for (int i = start; i < start + n; i++) {
      if (!isUsed(i)) {
        throw new IllegalStateException("block at " + offset + " of " + bytes + " bytes is not allocated (freed twice?)");
      }
    }
    mark(start, n, false);
    usedUnits -= n;
    blocks--;
  }

  /** Bytes in allocated blocks (whole units). */
  public long usedBytes() {
    return (long) usedUnits << UNIT_SHIFT;
  }

  /** Bytes the region holds (whole units). */
  public long capacityBytes() {
    return (long) units << UNIT_SHIFT;
  }

  /** Blocks allocated and not yet freed. */
  public int blocks() {
    return blocks;
  }

  /** First start in [from, to) of a run of {@code n} free units that ends by {@link #units}, or -1. */
  private int find(int from, int to, int n) {
    int i = from;
    while (i < to && i + n <= units) {
      if ((i & 63) == 0 && used[i >>> 6] == -1L) {
        // A full word: skip its 64 units at once.
        i += 64;
        continue;
      }
      if (isUsed(i)) {
        i++;
        continue;
      }
      int run = 1;
      while (run < n && !isUsed(i + run)) {
        run++;
      }
      if (run == n) {
        return i;
      }
      i += run + 1;
    }
    return -1;
  }

  private boolean isUsed(int unit) {
    return (used[unit >>> 6] & (1L << unit)) != 0;
  }

  private void mark(int start, int n, boolean set) {
    for (int i = start; i < start + n; i++) {
      if (set) {
        used[i >>> 6] |= 1L << i;
      } else {
        used[i >>> 6] &= ~(1L << i);
      }
    }
  }
}
