package io.drover.protocol.wire;

import static io.drover.protocol.wire.ProtoWire.LENGTH_DELIMITED;
import static io.drover.protocol.wire.ProtoWire.VARINT;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes {@code drover.v1.WorkerEventHeader}, the header of a worker's frames to the
 * master. The message is kept as a range of the frame's bytes so the master can copy it into the
 * client's response without decoding it.
 */
public final class WorkerEventCodec extends HeaderDecoder {
  /** {@code WorkerEventHeader.Kind.RESULT}. */
  public static final int KIND_RESULT = 0;
  /** {@code WorkerEventHeader.Kind.REGISTER}. */
  public static final int KIND_REGISTER = 1;
  /** {@code WorkerEventHeader.Kind.HEARTBEAT}. */
  public static final int KIND_HEARTBEAT = 2;
  /** {@code WorkerEventHeader.Kind.DRAINING}. */
  public static final int KIND_DRAINING = 3;
  /** {@code WorkerEventHeader.Kind.RESULT_REGION}. */
  public static final int KIND_RESULT_REGION = 4;

  private static final int F_KIND = 1;
  private static final int F_TASK_ID = 2;
  private static final int F_STATUS = 3;
  private static final int F_MESSAGE = 4;
  private static final int F_REGION_OFFSET = 5;
  private static final int F_REGION_LENGTH = 6;

  private int kind;
  private long taskId;
  private int status;
  private int messageIndex;
  private int messageLength;
  private long regionOffset;
  private int regionLength;

  @Override
  void reset(ByteBuf frame) {
    kind = KIND_RESULT;
    taskId = 0;
    status = 0;
    messageIndex = frame.readerIndex();
    messageLength = 0;
    regionOffset = 0;
    regionLength = 0;
  }

  @Override
  boolean readField(ByteBuf frame, int field, int wireType) {
    if (field == F_KIND && wireType == VARINT) {
      kind = ProtoWire.readVarint32(frame);
      return true;
    }
    if (field == F_TASK_ID && wireType == VARINT) {
      taskId = ProtoWire.readVarint64(frame);
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
    return wireType == VARINT && readRegion(frame, field);
  }

  /** Out of {@link #readField}, which stays small for the hot path's inlining. */
  private boolean readRegion(ByteBuf frame, int field) {
    if (field == F_REGION_OFFSET) {
      regionOffset = ProtoWire.readVarint64(frame);
      return true;
    }
    if (field == F_REGION_LENGTH) {
      regionLength = ProtoWire.readVarint32(frame);
      return true;
    }
    return false;
  }

  /** Offset of a RESULT's body in the worker's result region; meaningful when {@link #regionLength} is not 0. */
  public long regionOffset() {
    return regionOffset;
  }

  /** Length of a RESULT's body in the worker's result region; 0 when the body is in the frame. */
  public int regionLength() {
    return regionLength;
  }

  /**
   * Writes a whole RESULT frame whose body lies in the worker's result region at {@code
   * regionOffset} ({@code regionLength} bytes, more than 0): the frame has no body.
   */
  public static void writeRegionResultFrame(
      ByteBuf out, long taskId, int status, byte[] message, long regionOffset, int regionLength) {
    int headerBytes = regionResultHeaderSize(taskId, status, message, regionOffset, regionLength);
    FramePrefix.write(out, headerBytes, 0);
    ProtoWire.writeVarintField(out, F_KIND, KIND_RESULT);
    ProtoWire.writeVarintField(out, F_TASK_ID, taskId);
    ProtoWire.writeVarintField(out, F_STATUS, status);
    ProtoWire.writeBytesField(out, F_MESSAGE, message);
    ProtoWire.writeVarintField(out, F_REGION_OFFSET, regionOffset);
    ProtoWire.writeVarintField(out, F_REGION_LENGTH, Integer.toUnsignedLong(regionLength));
  }

  /** Size of the header {@link #writeRegionResultFrame} writes. */
  public static int regionResultHeaderSize(long taskId, int status, byte[] message, long regionOffset, int regionLength) {
    return headerSize(KIND_RESULT, taskId, status, message)
        + ProtoWire.varintFieldSize(F_REGION_OFFSET, regionOffset)
        + ProtoWire.varintFieldSize(F_REGION_LENGTH, Integer.toUnsignedLong(regionLength));
  }

  /** Bytes a whole {@link #writeRegionResultFrame} frame takes, prefixes included. */
  public static int regionResultFrameSize(long taskId, int status, byte[] message, long regionOffset, int regionLength) {
    int headerBytes = regionResultHeaderSize(taskId, status, message, regionOffset, regionLength);
    return FramePrefix.size(headerBytes, 0) + headerBytes;
  }

  /** The decoded kind. */
  public int kind() {
    return kind;
  }

  /** The decoded task id. */
  public long taskId() {
    return taskId;
  }

  /** The decoded status number. */
  public int status() {
    return status;
  }

  /** Absolute index in the frame of the message's first byte. */
  public int messageIndex() {
    return messageIndex;
  }

  /** Length in bytes of the message; 0 when absent. */
  public int messageLength() {
    return messageLength;
  }

  /** Size of the header for these fields. */
  public static int headerSize(int kind, long taskId, int status, byte[] message) {
    return ProtoWire.varintFieldSize(F_KIND, kind)
        + ProtoWire.varintFieldSize(F_TASK_ID, taskId)
        + ProtoWire.varintFieldSize(F_STATUS, status)
        + ProtoWire.bytesFieldSize(F_MESSAGE, message);
  }

  /** Writes everything of a frame but its body of {@code bodyBytes}, which the caller writes next. */
  public static void writeFramePrefix(
      ByteBuf out, int kind, long taskId, int status, byte[] message, int bodyBytes) {
    int headerBytes = headerSize(kind, taskId, status, message);
    FramePrefix.write(out, headerBytes, bodyBytes);
    ProtoWire.writeVarintField(out, F_KIND, kind);
    ProtoWire.writeVarintField(out, F_TASK_ID, taskId);
    ProtoWire.writeVarintField(out, F_STATUS, status);
    ProtoWire.writeBytesField(out, F_MESSAGE, message);
  }

  /** Bytes a whole frame takes, prefixes included. */
  public static int frameSize(int kind, long taskId, int status, byte[] message, int bodyBytes) {
    int headerBytes = headerSize(kind, taskId, status, message);
    return FramePrefix.size(headerBytes, bodyBytes) + headerBytes + bodyBytes;
  }
}
