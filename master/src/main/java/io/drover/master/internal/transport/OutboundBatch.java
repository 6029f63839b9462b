package io.drover.master.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Collects the frames written to one channel during an event-loop turn into as few buffers as
 * possible: small frames are copied into one shared buffer, and only bodies large enough for the
 * copy to matter are written as separate retained slices: every buffer in a channel's outbound
 * buffer costs bookkeeping and an iovec (figures in bench/RESULTS.md).
 *
 * <p>Owned by the channel's event loop.
 */
public final class OutboundBatch {
  /** Bodies at least this large are forwarded as slices instead of being copied. */
  public static final int COPY_THRESHOLD = 2048;

  private static final int BATCH_CAPACITY = 16 * 1024;

  private final Channel channel;
  private final BatchFlusher flusher;
  /** Where a client connection's frames and bytes are counted; null for a worker's. */
  private final ClientTraffic traffic;
  private ByteBuf batch;
  private boolean dirty;

  /** {@link BatchFlusher#turnNanos}: the clock as read once in this loop turn. */
  public long turnNanos() {
    return flusher.turnNanos();
  }

  /** Creates the batch for {@code channel}, flushed by {@code flusher}; nothing is counted. */
  public OutboundBatch(Channel channel, BatchFlusher flusher) {
    this(channel, flusher, null);
  }

  /**
   * Creates the batch for client connection {@code channel}, flushed by {@code flusher}, whose
   * writes {@code traffic} (of the same loop) counts.
   */
  public OutboundBatch(Channel channel, BatchFlusher flusher, ClientTraffic traffic) {
    this.channel = channel;
    this.flusher = flusher;
    this.traffic = traffic;
  }

  /** The channel written to. */
  public Channel channel() {
    return channel;
  }

  /**
   * A buffer with at least {@code bytes} writable into which the caller writes one frame (or the
   * part of one that precedes a slice passed to {@link #appendSlice}).
   */
  public ByteBuf reserve(int bytes) {
    ByteBuf b = batch;
    if (b == null || b.writableBytes() < bytes) {
      writeBatch();
      b = batch = channel.alloc().directBuffer(Math.max(BATCH_CAPACITY, bytes));
    }
    markDirty();
    return b;
  }

  /** Counts one frame written (its bytes are counted as its buffers are written). */
  void frameSent() {
    if (traffic != null) {
      traffic.frameSent();
    }
  }

  /** Appends {@code slice} after what has been reserved so far; takes ownership of it. */
  public void appendSlice(ByteBuf slice) {
    writeBatch();
    written(slice.readableBytes());
    channel.write(slice, channel.voidPromise());
    markDirty();
  }

  /** Appends the readable bytes of {@code body}: copied when small, as a retained slice when large. */
  public void appendBody(ByteBuf body) {
    int n = body.readableBytes();
    if (n == 0) {
      return;
    }
    if (n < COPY_THRESHOLD) {
      ByteBuf b = reserve(n);
      b.writeBytes(body, body.readerIndex(), n);
    } else {
      appendSlice(body.retainedSlice());
    }
  }

  /** Writes and flushes what is pending. Called by the flusher. */
  void flush() {
    dirty = false;
    writeBatch();
    channel.flush();
  }

  /** Releases what was never written; call when the channel closes. */
  public void discard() {
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }

  private void written(int bytes) {
    if (traffic != null) {
      traffic.written(bytes);
    }
  }

  private void markDirty() {
    if (!dirty) {
      dirty = true;
      flusher.markDirty(this);
    }
  }

  private void writeBatch() {
    ByteBuf b = batch;
    if (b != null) {
      batch = null;
      if (b.isReadable()) {
        written(b.readableBytes());
        channel.write(b, channel.voidPromise());
      } else {
        b.release();
      }
    }
  }
}
