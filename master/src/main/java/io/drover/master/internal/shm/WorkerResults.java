package io.drover.master.internal.shm;

import io.drover.protocol.shm.RegionFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One worker's result region as the master sees it: mapped copy-on-write (never written), its file deleted at once
 * (both mappings outlive it, so a crash leaves nothing in {@code /dev/shm}). A result in it
 * becomes a {@code ByteBuf} over its block, written to the client like any result body; its last
 * release (the client write done, or the result dropped) tells the worker the block is free,
 * unless the worker is gone by then. Confined to the dispatch event loop.
 */
public final class WorkerResults {
  /** How the master tells the worker that a block is free (a RELEASE frame on its socket). */
  @FunctionalInterface
  public interface Release {
    /** Frees the worker's block at {@code offset} of {@code length} bytes. */
    void release(long offset, int length);
  }

  private final RegionFile region;
  private final Release release;
  private boolean closed;
  private int blocks;

  private WorkerResults(RegionFile region, Release release) {
    this.region = region;
    this.release = release;
  }

  /** Maps the worker's region at {@code path} and deletes its file. */
  public static WorkerResults map(Path path, Release release) throws IOException {
    if (!path.getFileName().toString().startsWith(RESULT_FILE_PREFIX)) {
      throw new IOException(path + " is not a worker's result region (expected a name starting " + RESULT_FILE_PREFIX + ")");
    }
    // Netty's direct buffers refuse read-only memory: copy-on-write keeps the worker's pages safe.
    RegionFile region = RegionFile.openPrivate(path);
    Files.deleteIfExists(path);
    return new WorkerResults(region, release);
  }

  /** The start of a worker's result region file name; its pid follows. */
  public static final String RESULT_FILE_PREFIX = "drover-results-";

  /**
   * The result at {@code offset} ({@code length} bytes) as a buffer whose release frees the
   * block on the worker.
   *
   * @throws IndexOutOfBoundsException if the block is not inside the region (a faulty worker)
   */
  public ByteBuf body(long offset, int length) {
    ByteBuffer view = region.view(offset, length);
    blocks++;
    return new ResultBlock(view, offset);
  }

  /** Result blocks the master holds now. */
  public int blocks() {
    return blocks;
  }

  /** The worker is gone: blocks released from now on are not announced to it. */
  public void close() {
    closed = true;
  }

  private final class ResultBlock extends UnpooledDirectByteBuf {
    private final long offset;
    private final int length;

    ResultBlock(ByteBuffer block, long offset) {
      // Not freed by Netty (the mapping is not Netty's); deallocate() gives the block back.
      super(UnpooledByteBufAllocator.DEFAULT, block, block.capacity());
      this.offset = offset;
      this.length = block.capacity();
    }

    @Override
    protected void deallocate() {
      super.deallocate();
      blocks--;
      if (!closed) {
        release.release(offset, length);
      }
    }
  }
}
