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
  private static final int F_PARTIAL = 5;
  private static final int F_SUBTASK_INDEX = 6;

  /** Pass as {@code subtaskIndex} for a frame that is not a job's partial result. */
  public static final int NOT_PARTIAL = -1;

  private long requestId;
  private int status;
  private int messageIndex;
  private int messageLength;
  private int attempts;
  private boolean partial;
  private int subtaskIndex;

  @Override
  void reset(ByteBuf frame) {
    requestId = 0;
    status = 0;
    messageLength = 0;
    attempts = 0;
    partial = false;
    subtaskIndex = 0;
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
    if (field == F_PARTIAL && wireType == VARINT) {
      partial = ProtoWire.readVarint64(frame) != 0;
      return true;
    }
    if (field == F_SUBTASK_INDEX && wireType == VARINT) {
      subtaskIndex = ProtoWire.readVarint32(frame);
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

  /** Whether the frame carries one subtask's result of a streamed job. */
  public boolean partial() {
    return partial;
  }

  /** The decoded subtask index (unsigned; meaningful when {@link #partial()}). */
  public int subtaskIndex() {
    return subtaskIndex;
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
    return headerSize(requestId, status, messageBytes, attempts, NOT_PARTIAL);
  }

  /**
   * Size of the header for these fields; {@code subtaskIndex} is {@link #NOT_PARTIAL} or the index
   * of the subtask whose streamed result the frame carries.
   */
  public static int headerSize(
      long requestId, int status, int messageBytes, int attempts, int subtaskIndex) {
    return ProtoWire.varintFieldSize(F_REQUEST_ID, requestId)
        + (subtaskIndex == NOT_PARTIAL
            ? 0
            : ProtoWire.varintFieldSize(F_PARTIAL, 1)
                + ProtoWire.varintFieldSize(F_SUBTASK_INDEX, Integer.toUnsignedLong(subtaskIndex)))
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
    writeFramePrefix(
        out, requestId, status, messageSource, messageIndex, messageLength, attempts, NOT_PARTIAL, bodyBytes);
  }

  /**
   * As {@link #writeFramePrefix(ByteBuf, long, int, ByteBuf, int, int, int, int)}, for a frame
   * that streams the result of subtask {@code subtaskIndex} of a job, or not ({@link
   * #NOT_PARTIAL}).
   */
  public static void writeFramePrefix(
      ByteBuf out,
      long requestId,
      int status,
      ByteBuf messageSource,
      int messageIndex,
      int messageLength,
      int attempts,
      int subtaskIndex,
      int bodyBytes) {
    int headerBytes = headerSize(requestId, status, messageLength, attempts, subtaskIndex);
    FramePrefix.write(out, headerBytes, bodyBytes);
    ProtoWire.writeVarintField(out, F_REQUEST_ID, requestId);
    ProtoWire.writeVarintField(out, F_STATUS, status);
    if (messageLength != 0) {
      ProtoWire.writeVarint32(out, ProtoWire.tag(F_MESSAGE, LENGTH_DELIMITED));
      ProtoWire.writeVarint32(out, messageLength);
      out.writeBytes(messageSource, messageIndex, messageLength);
    }
    ProtoWire.writeVarintField(out, F_ATTEMPTS, Integer.toUnsignedLong(attempts));
    if (subtaskIndex != NOT_PARTIAL) {
      ProtoWire.writeVarintField(out, F_PARTIAL, 1);
      ProtoWire.writeVarintField(out, F_SUBTASK_INDEX, Integer.toUnsignedLong(subtaskIndex));
    }
  }

  /** Writes a whole frame with an empty body and a message given as UTF-8 bytes. */
  public static void writeFrame(
      ByteBuf out, long requestId, int status, byte[] message, int attempts) {
    writeFramePrefix(out, requestId, status, message, attempts, 0);
  }

  /** Writes everything of a frame but its body of {@code bodyBytes}, with a UTF-8 message. */
  public static void writeFramePrefix(
      ByteBuf out, long requestId, int status, byte[] message, int attempts, int bodyBytes) {
    int headerBytes = headerSize(requestId, status, message.length, attempts);
    FramePrefix.write(out, headerBytes, bodyBytes);
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
