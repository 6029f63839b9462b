package io.drover.protocol.wire;

import static io.drover.protocol.wire.ProtoWire.LENGTH_DELIMITED;
import static io.drover.protocol.wire.ProtoWire.VARINT;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes {@code drover.v1.WorkerCommandHeader}, the header of the master's frames to a
 * worker. The task type and the traceparent are kept as ranges of the frame's bytes.
 */
public final class WorkerCommandCodec extends HeaderDecoder {
  /** {@code WorkerCommandHeader.Kind.TASK}. */
  public static final int KIND_TASK = 0;
  /** {@code WorkerCommandHeader.Kind.DRAIN}. */
  public static final int KIND_DRAIN = 1;
  /** {@code WorkerCommandHeader.Kind.CANCEL}. */
  public static final int KIND_CANCEL = 2;
  /** {@code WorkerCommandHeader.Kind.MAP_REGION}. */
  public static final int KIND_MAP_REGION = 3;
  /** {@code WorkerCommandHeader.Kind.RELEASE}. */
  public static final int KIND_RELEASE = 4;

  private static final int F_KIND = 1;
  private static final int F_TASK_ID = 2;
  private static final int F_TASK_TYPE = 3;
  private static final int F_ATTEMPT = 4;
  private static final int F_TRACEPARENT = 5;
  private static final int F_REGION_OFFSET = 6;
  private static final int F_REGION_LENGTH = 7;

  private int kind;
  private long taskId;
  private int taskTypeIndex;
  private int taskTypeLength;
  private int attempt;
  private int traceparentIndex;
  private int traceparentLength;
  private long regionOffset;
  private int regionLength;

  @Override
  void reset(ByteBuf frame) {
    kind = KIND_TASK;
    taskId = 0;
    taskTypeIndex = frame.readerIndex();
    taskTypeLength = 0;
    attempt = 0;
    traceparentLength = 0;
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
    if (field == F_TASK_TYPE && wireType == LENGTH_DELIMITED) {
      taskTypeLength = ProtoWire.readLength(frame);
      taskTypeIndex = frame.readerIndex();
      frame.skipBytes(taskTypeLength);
      return true;
    }
    if (field == F_ATTEMPT && wireType == VARINT) {
      attempt = ProtoWire.readVarint32(frame);
      return true;
    }
    if (field == F_TRACEPARENT && wireType == LENGTH_DELIMITED) {
      return readTraceparent(frame);
    }
    return wireType == VARINT && readRegion(frame, field);
  }

  /** Out of {@link #readField} for the same reason as {@link #readTraceparent}. */
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

  /**
   * Out of {@link #readField}, so that the untraced task's header decodes through the same small
   * method as before traceparents (a larger one inlines less well on the hot path).
   */
  private boolean readTraceparent(ByteBuf frame) {
    traceparentLength = ProtoWire.readLength(frame);
    traceparentIndex = frame.readerIndex();
    frame.skipBytes(traceparentLength);
    return true;
  }

  /** The decoded kind. */
  public int kind() {
    return kind;
  }

  /** The decoded task id. */
  public long taskId() {
    return taskId;
  }

  /** Absolute index in the frame of the task type's first byte. */
  public int taskTypeIndex() {
    return taskTypeIndex;
  }

  /** Length in bytes of the task type. */
  public int taskTypeLength() {
    return taskTypeLength;
  }

  /** The decoded attempt number. */
  public int attempt() {
    return attempt;
  }

  /** Absolute index in the frame of the traceparent's first byte; meaningful when its length is not 0. */
  public int traceparentIndex() {
    return traceparentIndex;
  }

  /** Length in bytes of the traceparent, 0 when the task has none (the master checked its format). */
  public int traceparentLength() {
    return traceparentLength;
  }

  /** Offset in the master's payload region of a TASK's payload; meaningful when {@link #regionLength} is not 0. */
  public long regionOffset() {
    return regionOffset;
  }

  /** Length of a TASK's payload in the master's payload region; 0 when the payload is the body. */
  public int regionLength() {
    return regionLength;
  }

  /** Size of the header for these fields and no traceparent. */
  public static int headerSize(int kind, long taskId, byte[] taskType, int attempt) {
    return ProtoWire.varintFieldSize(F_KIND, kind)
        + ProtoWire.varintFieldSize(F_TASK_ID, taskId)
        + ProtoWire.bytesFieldSize(F_TASK_TYPE, taskType)
        + ProtoWire.varintFieldSize(F_ATTEMPT, Integer.toUnsignedLong(attempt));
  }

  /**
   * Size of the header for these fields. {@code attempt} is a uint32: a negative int is written as
   * the unsigned value, in five bytes as protobuf does.
   */
  public static int headerSize(int kind, long taskId, byte[] taskType, int attempt, byte[] traceparent) {
    return headerSize(kind, taskId, taskType, attempt) + ProtoWire.bytesFieldSize(F_TRACEPARENT, traceparent);
  }

  /**
   * Writes everything of a frame without a traceparent but its body of {@code bodyBytes}, which
   * the caller writes next.
   */
  public static void writeFramePrefix(
      ByteBuf out, int kind, long taskId, byte[] taskType, int attempt, int bodyBytes) {
    FramePrefix.write(out, headerSize(kind, taskId, taskType, attempt), bodyBytes);
    writeFields(out, kind, taskId, taskType, attempt);
  }

  private static void writeFields(ByteBuf out, int kind, long taskId, byte[] taskType, int attempt) {
    ProtoWire.writeVarintField(out, F_KIND, kind);
    ProtoWire.writeVarintField(out, F_TASK_ID, taskId);
    ProtoWire.writeBytesField(out, F_TASK_TYPE, taskType);
    ProtoWire.writeVarintField(out, F_ATTEMPT, Integer.toUnsignedLong(attempt));
  }

  /**
   * Writes everything of a frame but its body of {@code bodyBytes}, which the caller writes next;
   * an empty {@code traceparent} is left out.
   */
  public static void writeFramePrefix(
      ByteBuf out, int kind, long taskId, byte[] taskType, int attempt, byte[] traceparent, int bodyBytes) {
    FramePrefix.write(out, headerSize(kind, taskId, taskType, attempt, traceparent), bodyBytes);
    writeFields(out, kind, taskId, taskType, attempt);
    ProtoWire.writeBytesField(out, F_TRACEPARENT, traceparent);
  }

  /** Bytes a whole frame without a traceparent takes, prefixes included. */
  public static int frameSize(int kind, long taskId, byte[] taskType, int attempt, int bodyBytes) {
    return frameSize(kind, taskId, taskType, attempt, ProtoWire.EMPTY, bodyBytes);
  }

  /** Bytes a whole frame takes, prefixes included. */
  public static int frameSize(
      int kind, long taskId, byte[] taskType, int attempt, byte[] traceparent, int bodyBytes) {
    int headerBytes = headerSize(kind, taskId, taskType, attempt, traceparent);
    return FramePrefix.size(headerBytes, bodyBytes) + headerBytes + bodyBytes;
  }

  /** Writes a whole RELEASE frame for the worker's result block at {@code regionOffset}. */
  public static void writeReleaseFrame(ByteBuf out, long regionOffset, int regionLength) {
    int headerBytes = releaseHeaderSize(regionOffset, regionLength);
    FramePrefix.write(out, headerBytes, 0);
    ProtoWire.writeVarintField(out, F_KIND, KIND_RELEASE);
    ProtoWire.writeVarintField(out, F_REGION_OFFSET, regionOffset);
    ProtoWire.writeVarintField(out, F_REGION_LENGTH, Integer.toUnsignedLong(regionLength));
  }

  /** Size of the header {@link #writeReleaseFrame} writes. */
  public static int releaseHeaderSize(long regionOffset, int regionLength) {
    return ProtoWire.varintFieldSize(F_KIND, KIND_RELEASE)
        + ProtoWire.varintFieldSize(F_REGION_OFFSET, regionOffset)
        + ProtoWire.varintFieldSize(F_REGION_LENGTH, Integer.toUnsignedLong(regionLength));
  }

  /**
   * Writes a whole TASK frame whose payload lies in the master's payload region at {@code
   * regionOffset} ({@code regionLength} bytes, more than 0): the frame has no body.
   */
  public static void writeRegionTaskFrame(
      ByteBuf out, long taskId, byte[] taskType, int attempt, byte[] traceparent, long regionOffset, int regionLength) {
    int headerBytes = regionTaskHeaderSize(taskId, taskType, attempt, traceparent, regionOffset, regionLength);
    FramePrefix.write(out, headerBytes, 0);
    writeFields(out, KIND_TASK, taskId, taskType, attempt);
    ProtoWire.writeBytesField(out, F_TRACEPARENT, traceparent);
    ProtoWire.writeVarintField(out, F_REGION_OFFSET, regionOffset);
    ProtoWire.writeVarintField(out, F_REGION_LENGTH, Integer.toUnsignedLong(regionLength));
  }

  /** Size of the header {@link #writeRegionTaskFrame} writes. */
  public static int regionTaskHeaderSize(
      long taskId, byte[] taskType, int attempt, byte[] traceparent, long regionOffset, int regionLength) {
    return headerSize(KIND_TASK, taskId, taskType, attempt, traceparent)
        + ProtoWire.varintFieldSize(F_REGION_OFFSET, regionOffset)
        + ProtoWire.varintFieldSize(F_REGION_LENGTH, Integer.toUnsignedLong(regionLength));
  }
}
