package io.drover.protocol.wire;

import static io.drover.protocol.wire.ProtoWire.LENGTH_DELIMITED;
import static io.drover.protocol.wire.ProtoWire.VARINT;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes {@code drover.v1.ResponseHeader}, the header of the master's frames to a
 * client. The message is kept as a range of the frame's bytes until {@link #message(ByteBuf)} is
 * asked for it.
 */
public final class ResponseHeaderCodec extends HeaderDecoder {
  private static final int F_REQUEST_ID = 1;
  private static final int F_STATUS = 2;
  private static final int F_MESSAGE = 3;
  private static final int F_ATTEMPTS = 4;

  private long requestId;
  private int status;
  private int messageIndex;
  private int messageLength;
  private int attempts;

  @Override
  void reset(ByteBuf frame) {
    requestId = 0;
    status = 0;
    messageLength = 0;
    attempts = 0;
  }

  @Override
  boolean readField(ByteBuf frame, int field, int wireType) {
    if (field == F_REQUEST_ID && wireType == VARINT) {
      requestId = ProtoWire.readVarint64(frame);
      return true;
    }
    if (field == F_STATUS && wireType == VARINT) {
      status = ProtoWire.readVarint32(frame);
      return true;
    }
    if (field == F_MESSAGE && wireType == LENGTH_DELIMITED) {
      messageLength = ProtoWire.readLength(frame);
      messageIndex = frame.readerIndex();
      frame.skipBytes(messageLength);
      return true;
    }
    if (field == F_ATTEMPTS && wireType == VARINT) {
      attempts = ProtoWire.readVarint32(frame);
      return true;
    }
    return false;
  }

  /** The decoded request id. */
  public long requestId() {
    return requestId;
  }

  /** The decoded status number (see {@code drover.v1.Status}). */
  public int status() {
    return status;
  }

  /** The decoded attempt count. */
  public int attempts() {
    return attempts;
  }

  /** The decoded message, read from the frame it was decoded from; empty when absent. */
  public String message(ByteBuf frame) {
    return messageLength == 0
        ? ""
        : frame.toString(messageIndex, messageLength, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Size of the header for these fields, with a message of {@code messageBytes}. {@code attempts}
   * is a uint32: a negative int is written as the unsigned value, in five bytes as protobuf does.
   */
  public static int headerSize(long requestId, int status, int messageBytes, int attempts) {
    return ProtoWire.varintFieldSize(F_REQUEST_ID, requestId)
        + ProtoWire.varintFieldSize(F_STATUS, status)
        + (messageBytes == 0
            ? 0
            : ProtoWire.varint32Size(ProtoWire.tag(F_MESSAGE, LENGTH_DELIMITED))
                + ProtoWire.varint32Size(messageBytes)
                + messageBytes)
        + ProtoWire.varintFieldSize(F_ATTEMPTS, Integer.toUnsignedLong(attempts));
  }

  /**
   * Writes everything of a frame but its body of {@code bodyBytes}; the message is copied from
   * {@code messageSource} at {@code messageIndex} (absolute) for {@code messageLength} bytes.
   */
  public static void writeFramePrefix(
      ByteBuf out,
      long requestId,
      int status,
      ByteBuf messageSource,
      int messageIndex,
      int messageLength,
      int attempts,
      int bodyBytes) {
    int headerBytes = headerSize(requestId, status, messageLength, attempts);
    FramePrefix.write(out, headerBytes, bodyBytes);
    ProtoWire.writeVarintField(out, F_REQUEST_ID, requestId);
    ProtoWire.writeVarintField(out, F_STATUS, status);
    if (messageLength != 0) {
      ProtoWire.writeVarint32(out, ProtoWire.tag(F_MESSAGE, LENGTH_DELIMITED));
      ProtoWire.writeVarint32(out, messageLength);
      out.writeBytes(messageSource, messageIndex, messageLength);
    }
    ProtoWire.writeVarintField(out, F_ATTEMPTS, Integer.toUnsignedLong(attempts));
  }

  /** Writes a whole frame with an empty body and a message given as UTF-8 bytes. */
  public static void writeFrame(
      ByteBuf out, long requestId, int status, byte[] message, int attempts) {
    int headerBytes = headerSize(requestId, status, message.length, attempts);
    FramePrefix.write(out, headerBytes, 0);
    ProtoWire.writeVarintField(out, F_REQUEST_ID, requestId);
    ProtoWire.writeVarintField(out, F_STATUS, status);
    ProtoWire.writeBytesField(out, F_MESSAGE, message);
    ProtoWire.writeVarintField(out, F_ATTEMPTS, Integer.toUnsignedLong(attempts));
  }

  /** Bytes a whole frame takes, prefixes included. */
  public static int frameSize(long requestId, int status, int messageBytes, int attempts, int bodyBytes) {
    int headerBytes = headerSize(requestId, status, messageBytes, attempts);
    return FramePrefix.size(headerBytes, bodyBytes) + headerBytes + bodyBytes;
  }
}
