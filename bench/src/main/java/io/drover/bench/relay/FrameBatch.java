package io.drover.bench.relay;

import io.drover.protocol.wire.ProtoWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The frames headed for one channel during one read batch. Small frames and their length prefixes
 * are copied into one combined buffer; frames of {@link #SLICE_THRESHOLD} bytes or more are
 * forwarded as retained slices, because copying them would cost more than the extra buffer.
 */
final class FrameBatch {
  /** Frames at least this long are not copied. */
  static final int SLICE_THRESHOLD = 2048;

  private static final int INITIAL_BYTES = 8 * 1024;

  private final Channel channel;
  private ByteBuf combined;
  private boolean pending;

  FrameBatch(Channel channel) {
    this.channel = channel;
  }

  Channel channel() {
    return channel;
  }

  /**
   * Adds {@code frame} (without its length prefix; not released here).
   *
   * @return true when this batch had nothing pending before, so it must be put on a flush list
   */
  boolean add(ByteBuf frame) {
    boolean first = !pending;
    pending = true;
    if (combined == null) {
      combined = channel.alloc().ioBuffer(INITIAL_BYTES);
    }
    int length = frame.readableBytes();
    ProtoWire.writeVarint32(combined, length);
    if (length < SLICE_THRESHOLD) {
      combined.writeBytes(frame, frame.readerIndex(), length);
    } else {
      channel.write(combined, channel.voidPromise());
      channel.write(frame.retainedDuplicate(), channel.voidPromise());
      combined = null;
    }
    return first;
  }

  /** Writes what is pending and flushes the channel. */
  void flush() {
    if (combined != null) {
      channel.write(combined, channel.voidPromise());
      combined = null;
    }
    pending = false;
    channel.flush();
  }

  /** Drops what is pending (the channel closed). */
  void discard() {
    if (combined != null) {
      combined.release();
      combined = null;
    }
    pending = false;
  }
}
