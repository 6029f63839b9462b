package io.drover.worker.internal.shm;

import io.drover.protocol.shm.BlockAllocator;
import io.drover.protocol.shm.RegionFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The worker's result region: handlers claim blocks in it for large results (on their own
 * threads), and the master's RELEASE frees them (on the event loop). Unlike the rest of the
 * worker's connection state it is shared by threads, so its allocator is guarded by this object's
 * lock: claiming a block must answer at once on the handler's thread, and the critical sections
 * are a bitmap scan and a few stores.
 */
public final class ResultRegion {
  /** The start of the file's name, as the master expects it; the worker's pid follows. */
  public static final String FILE_PREFIX = "drover-results-";

  private final RegionFile file;
  private final BlockAllocator blocks;
  private final int thresholdBytes;

  private ResultRegion(RegionFile file, int thresholdBytes) {
    this.file = file;
    this.blocks = new BlockAllocator(file.size());
    this.thresholdBytes = thresholdBytes;
  }

  /** Creates a region of {@code bytes} in {@code directory} for results of at least {@code thresholdBytes}. */
  public static ResultRegion create(Path directory, long bytes, int thresholdBytes) throws IOException {
    return new ResultRegion(RegionFile.create(directory, FILE_PREFIX, bytes), thresholdBytes);
  }

  /** The region's file, which the master maps and then deletes. */
  public Path path() {
    return file.path();
  }

  /** Results this large or larger go here when the handler claims a buffer. */
  public int thresholdBytes() {
    return thresholdBytes;
  }

  /** Reserves a block of {@code bytes}: its offset, or -1 when the region has no room. */
  public synchronized long allocate(int bytes) {
    return blocks.allocate(bytes);
  }

  /** A writable view of the block at {@code offset}. */
  public ByteBuffer view(long offset, int length) {
    return file.view(offset, length);
  }

  /**
   * Keeps the first {@code usedBytes} of a block of {@code claimedBytes} and frees the rest (whole
   * units only); with {@code usedBytes} 0 the whole block.
   */
  public synchronized void trim(long offset, int claimedBytes, int usedBytes) {
    int keep = usedBytes == 0 ? 0 : roundUp(usedBytes);
    int claimed = roundUp(claimedBytes);
    if (claimed > keep) {
      blocks.free(offset + keep, claimed - keep);
    }
  }

  /** The master is done with the block at {@code offset} of {@code length} bytes. */
  public synchronized void free(long offset, int length) {
    blocks.free(offset, length);
  }

  /** Bytes in blocks not yet released. */
  public synchronized long usedBytes() {
    return blocks.usedBytes();
  }

  /** Deletes the file if the master has not done so yet. */
  public void close() {
    file.close();
  }

  private static int roundUp(int bytes) {
    return (int) ((bytes + (long) BlockAllocator.UNIT_BYTES - 1) / BlockAllocator.UNIT_BYTES * BlockAllocator.UNIT_BYTES);
  }
}
