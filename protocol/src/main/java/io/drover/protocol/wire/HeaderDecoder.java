package io.drover.protocol.wire;

import io.drover.protocol.frame.MalformedFrameException;
import io.netty.buffer.ByteBuf;

/**
 * The loop every header codec shares: read the header length, then each field's tag, hand known
 * fields to the subclass and skip unknown ones (so newer peers stay compatible), never reading
 * past the header.
 */
abstract class HeaderDecoder {
  /**
   * Decodes the header at {@code frame}'s reader index and leaves the reader index at the first
   * byte of the body.
   *
   * @throws MalformedFrameException when the header is not valid protobuf wire format
   */
  public final void decode(ByteBuf frame) {
    reset(frame);
    int headerLength = ProtoWire.readHeaderLength(frame);
    int writerIndex = frame.writerIndex();
    frame.writerIndex(frame.readerIndex() + headerLength);
    try {
      while (frame.isReadable()) {
        int tag = ProtoWire.readVarint32(frame);
        int field = tag >>> 3;
        int wireType = tag & 7;
        if (field == 0) {
          throw new MalformedFrameException("header field number 0 is invalid");
        }
        if (!readField(frame, field, wireType)) {
          ProtoWire.skipField(frame, wireType);
        }
      }
    } finally {
      frame.writerIndex(writerIndex);
    }
  }

  /** Sets every field to its default before a decode; {@code frame} is the frame about to be read. */
  abstract void reset(ByteBuf frame);

  /**
   * Reads field {@code number} if it is one of this header's with the expected wire type.
   *
   * @return whether it was read (otherwise the caller skips it)
   */
  abstract boolean readField(ByteBuf frame, int number, int wireType);
}
