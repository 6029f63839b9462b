package io.drover.bench.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * The batches written to since the last flush. Every channel flushes the whole list when its read
 * batch completes, so a burst of frames from many sources becomes one write per destination.
 * Event loop only.
 */
final class FlushList {
  private final List<FrameBatch> dirty = new ArrayList<>();

  /** Adds {@code frame} to {@code batch} and remembers to flush it. */
  void add(FrameBatch batch, io.netty.buffer.ByteBuf frame) {
    if (batch.add(frame)) {
      dirty.add(batch);
    }
  }

  /** Flushes every batch written to since the last call. */
  void flushAll() {
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }
}
