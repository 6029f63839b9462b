package io.drover.protocol.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockAllocatorTest {
  private static final int UNIT = BlockAllocator.UNIT_BYTES;

  @Test
  void blocksAreWholeUnitsAndDoNotOverlap() {
    BlockAllocator a = new BlockAllocator(16L * UNIT);
    long first = a.allocate(1);
    long second = a.allocate(UNIT + 1);
    assertThat(first).isZero();
    assertThat(second).isEqualTo(UNIT);
    assertThat(a.usedBytes()).isEqualTo(3L * UNIT);
    assertThat(a.blocks()).isEqualTo(2);
  }

  @Test
  void aFullRegionAnswersMinusOneAndFreedSpaceIsReused() {
    BlockAllocator a = new BlockAllocator(4L * UNIT);
    long x = a.allocate(2 * UNIT);
    long y = a.allocate(2 * UNIT);
    assertThat(a.allocate(1)).isEqualTo(-1);
    a.free(x, 2 * UNIT);
    assertThat(a.allocate(3 * UNIT)).isEqualTo(-1);
    assertThat(a.allocate(UNIT)).isEqualTo(x);
    a.free(y, 2 * UNIT);
    a.free(x, UNIT);
    assertThat(a.usedBytes()).isZero();
    assertThat(a.blocks()).isZero();
    assertThat(a.allocate(4 * UNIT)).isZero();
  }

  @Test
  void freeingTwiceOrOutsideTheRegionIsRefused() {
    BlockAllocator a = new BlockAllocator(8L * UNIT);
    long x = a.allocate(UNIT);
    a.free(x, UNIT);
    assertThatThrownBy(() -> a.free(x, UNIT)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> a.free(100, UNIT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.free(7L * UNIT, 2 * UNIT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.allocate(0)).hasMessage("bytes: 0 (expected: > 0)");
  }

  @Test
  void runsAcrossBitmapWordsAndWrapAroundTheCursor() {
    BlockAllocator a = new BlockAllocator(200L * UNIT);
    long big = a.allocate(130 * UNIT);
    long tail = a.allocate(60 * UNIT);
    a.free(big, 130 * UNIT);
    // The cursor is past the tail; only a wrap-around finds room at the start.
    assertThat(a.allocate(100 * UNIT)).isZero();
    assertThat(a.allocate(30 * UNIT)).isEqualTo(100L * UNIT);
    assertThat(tail).isEqualTo(130L * UNIT);
  }

  @Test
  void randomAllocateAndFreeKeepsBlocksDisjointAndAccountingExact() {
    Random random = new Random(15);
    BlockAllocator a = new BlockAllocator(1024L * UNIT);
    boolean[] owned = new boolean[1024];
    List<long[]> live = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      if (!live.isEmpty() && (random.nextBoolean() || live.size() > 40)) {
        long[] b = live.remove(random.nextInt(live.size()));
        a.free(b[0], (int) b[1]);
        for (int u = (int) (b[0] / UNIT); u < (b[0] + b[1] + UNIT - 1) / UNIT; u++) {
          owned[u] = false;
        }
      } else {
        int bytes = 1 + random.nextInt(70 * UNIT);
        long offset = a.allocate(bytes);
        if (offset >= 0) {
          for (int u = (int) (offset / UNIT); u < (offset + bytes + UNIT - 1) / UNIT; u++) {
            assertThat(owned[u]).as("unit %d handed out twice", u).isFalse();
            owned[u] = true;
          }
          live.add(new long[] {offset, bytes});
        }
      }
    }
    for (long[] b : live) {
      a.free(b[0], (int) b[1]);
    }
    assertThat(a.usedBytes()).isZero();
    assertThat(a.blocks()).isZero();
  }
}
