package io.drover.protocol.frame;

import io.drover.protocol.FrameLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into frames: an unsigned varint32 length, then that many bytes. Emits each
 * frame's bytes (without the prefix) as a retained slice of the cumulation buffer, so no frame is
 * copied.
 *
 * <p>A length above {@code maxFrameBytes} raises {@link FrameTooLargeException} before any of the
 * frame's bytes are buffered; a length prefix longer than five bytes raises {@link
 * MalformedFrameException}. After either the stream cannot be resynchronised, so the decoder
 * discards everything that follows and the handler should reply with an error and close.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final int maxFrameBytes;
  private boolean failed;
  /** Frames emitted so far: tells a watcher whether the incomplete frame it saw last is still the one held. */
  private long frames;

  /** Creates a decoder that refuses frames longer than {@code maxFrameBytes}. */
  public FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = FrameLimits.checkMaxFrameBytes(maxFrameBytes);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.isReadable()) {
      int start = in.readerIndex();
      long length = peekLength(in, start);
      if (length == NEED_MORE) {
        return;
      }
      int prefixBytes = (int) (length >>> 32);
      int frameBytes = (int) length;
      if (frameBytes > maxFrameBytes) {
        fail(in);
        throw new FrameTooLargeException(frameBytes & 0xFFFFFFFFL, maxFrameBytes);
      }
      if (in.readableBytes() < prefixBytes + frameBytes) {
        return;
      }
      in.skipBytes(prefixBytes);
      out.add(in.readRetainedSlice(frameBytes));
      frames++;
    }
  }

  /** Frames emitted since this decoder was created. */
  public long framesDecoded() {
    return frames;
  }

  /**
   * The memory held for an incomplete frame: the capacity of the buffer that accumulates it, or 0
   * when no byte of an incomplete frame is held. Call between reads (on the channel's loop).
   */
  public int partialFrameCapacity() {
    ByteBuf held = internalBuffer();
    return held.isReadable() ? held.capacity() : 0;
  }

  private static final long NEED_MORE = -1L;

  /**
   * Reads the varint32 at {@code index} without moving the reader index.
   *
   * @return the prefix length in the high 32 bits and the frame length (unsigned) in the low 32,
   *     or {@link #NEED_MORE} when the prefix is incomplete
   */
  private long peekLength(ByteBuf in, int index) {
    int end = in.writerIndex();
    long result = 0;
    for (int i = 0; i < 5; i++) {
      if (index + i >= end) {
        return NEED_MORE;
      }
      byte b = in.getByte(index + i);
      result |= (long) (b & 0x7F) << (7 * i);
      if (b >= 0) {
        if (i == 4 && (b & 0xF0) != 0) {
          fail(in);
          throw new MalformedFrameException("frame length prefix overflows 32 bits");
        }
        if (result > Integer.MAX_VALUE) {
          fail(in);
          throw new FrameTooLargeException(result, maxFrameBytes);
        }
        return ((long) (i + 1) << 32) | result;
      }
    }
    fail(in);
    throw new MalformedFrameException("frame length prefix is longer than 5 bytes");
  }

  private void fail(ByteBuf in) {
    failed = true;
    in.skipBytes(in.readableBytes());
  }
}
