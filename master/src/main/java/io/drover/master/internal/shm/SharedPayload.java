package io.drover.master.internal.shm;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.nio.ByteBuffer;

/**
 * A task's payload in a block of the {@link PayloadRegion}: an ordinary {@code ByteBuf} to the
 * dispatcher (queues, retries, a worker without shared memory read it like any payload), whose
 * last release gives its block back. The task holds the one reference, so the block lives as long
 * as the task: until its result arrives, or its worker is gone and it is answered, never while a
 * worker may still read it.
 */
public final class SharedPayload extends UnpooledDirectByteBuf {
  private final PayloadRegion region;
  private final long offset;
  private final int length;

  SharedPayload(PayloadRegion region, ByteBuffer block, long offset) {
    // Not freed by Netty (the mapping is not Netty's); deallocate() gives the block back instead.
    super(UnpooledByteBufAllocator.DEFAULT, block, block.capacity());
    this.region = region;
    this.offset = offset;
    this.length = block.capacity();
  }

  /** The block's offset in its region. */
  public long offset() {
    return offset;
  }

  /** The region the block belongs to. */
  public PayloadRegion region() {
    return region;
  }

  @Override
  protected void deallocate() {
    super.deallocate();
    region.free(offset, length);
  }
}
