package io.drover.protocol.wire;

import io.netty.buffer.ByteBuf;

/** Writes the two length prefixes that precede a header: the frame length and the header length. */
final class FramePrefix {
  private FramePrefix() {}

  /** Bytes that the two prefixes take for a header of {@code headerBytes} and a body of {@code bodyBytes}. */
  static int size(int headerBytes, int bodyBytes) {
    int frameBytes = ProtoWire.varint32Size(headerBytes) + headerBytes + bodyBytes;
    return ProtoWire.varint32Size(frameBytes) + ProtoWire.varint32Size(headerBytes);
  }

  /** Writes the frame length and the header length. */
  static void write(ByteBuf out, int headerBytes, int bodyBytes) {
    int frameBytes = ProtoWire.varint32Size(headerBytes) + headerBytes + bodyBytes;
    ProtoWire.writeVarint32(out, frameBytes);
    ProtoWire.writeVarint32(out, headerBytes);
  }
}
