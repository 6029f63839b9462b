package io.drover.master.internal.shm;

import io.drover.protocol.shm.BlockAllocator;
import io.drover.protocol.shm.RegionFile;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The master's shared memory for task payloads: one region for every worker (a pool rather than
 * one per worker, so that a busy worker can use what an idle one does not, and so that a task
 * retried on another worker keeps its block), bounded by {@code --shm-mib}. Payloads of at least
 * {@link #thresholdBytes} bound for a worker that maps the region are copied into a block here and
 * the worker gets only the block's offset and length; when no block is free the payload goes
 * through the socket as before (counted in {@link #fallbacks}), the dispatch loop never waits.
 *
 * <p>Confined to the dispatch event loop, like the tasks whose payloads it holds.
 */
public final class PayloadRegion implements AutoCloseable {
  /** The start of the region file's name; the master's pid follows. */
  public static final String FILE_PREFIX = "drover-payloads-";

  private final RegionFile file;
  private final BlockAllocator blocks;
  private final int thresholdBytes;
  private final byte[] offer;
  private long shared;
  private long fallbacks;
  private long resultsShared;

  private PayloadRegion(RegionFile file, int thresholdBytes) {
    this.file = file;
    this.blocks = new BlockAllocator(file.size());
    this.thresholdBytes = thresholdBytes;
    this.offer =
        io.drover.protocol.proto.SharedMemoryOffer.newBuilder()
            .setPath(file.path().toString())
            // Each worker's results get half as much room as every payload: results are answers
            // on their way out, held only until written to their client.
            .setResultRegionBytes(Math.max(1L << 20, file.size() / 2))
            .setThresholdBytes(thresholdBytes)
            .build()
            .toByteArray();
  }

  /**
   * Creates a region of {@code bytes} in {@code directory} (usually {@code /dev/shm}) for payloads
   * of at least {@code thresholdBytes}.
   */
  public static PayloadRegion create(Path directory, long bytes, int thresholdBytes) throws IOException {
    if (thresholdBytes <= 0) {
      throw new IllegalArgumentException("thresholdBytes: " + thresholdBytes + " (expected: > 0)");
    }
    RegionFile.deleteStale(directory, FILE_PREFIX);
    RegionFile.deleteStale(directory, WorkerResults.RESULT_FILE_PREFIX);
    return new PayloadRegion(RegionFile.create(directory, FILE_PREFIX, bytes), thresholdBytes);
  }

  /** Payloads this large or larger go through the region. */
  public int thresholdBytes() {
    return thresholdBytes;
  }

  /** The body of the MAP_REGION command: a SharedMemoryOffer. */
  public byte[] offer() {
    return offer;
  }

  /** The region file. */
  public Path path() {
    return file.path();
  }

  /**
   * {@code payload} in a block of the region, or {@code payload} itself when it is in one already
   * or no block is free. The original is released once copied: the block is the task's payload
   * from then on.
   */
  public ByteBuf share(ByteBuf payload) {
    if (payload instanceof SharedPayload) {
      return payload;
    }
    int n = payload.readableBytes();
    long offset = blocks.allocate(n);
    if (offset < 0) {
      fallbacks++;
      return payload;
    }
    ByteBuffer block = file.view(offset, n);
    payload.getBytes(payload.readerIndex(), block.duplicate());
    SharedPayload moved = new SharedPayload(this, block, offset);
    payload.release();
    shared++;
    return moved;
  }

  /** Counts a result a worker returned through its result region. */
  public void resultShared() {
    resultsShared++;
  }

  void free(long offset, int length) {
    blocks.free(offset, length);
  }

  /** Bytes the region holds. */
  public long capacityBytes() {
    return blocks.capacityBytes();
  }

  /** Bytes in blocks held by tasks now. */
  public long usedBytes() {
    return blocks.usedBytes();
  }

  /** Blocks held by tasks now. */
  public int blocks() {
    return blocks.blocks();
  }

  /** Payloads copied into the region since the master started. */
  public long sharedPayloads() {
    return shared;
  }

  /** Payloads above the threshold that went through the socket because the region was full. */
  public long fallbacks() {
    return fallbacks;
  }

  /** The region's figures now. */
  public io.drover.master.status.SharedMemorySnapshot snapshot() {
    return new io.drover.master.status.SharedMemorySnapshot(
        capacityBytes(), usedBytes(), blocks(), shared, fallbacks, resultsShared);
  }

  /** Deletes the region file (workers' mappings stay valid until they exit). */
  @Override
  public void close() {
    file.close();
  }
}
