package io.drover.protocol.wire;

import static io.drover.protocol.wire.ProtoWire.LENGTH_DELIMITED;
import static io.drover.protocol.wire.ProtoWire.VARINT;

import io.drover.protocol.Traceparent;
import io.netty.buffer.ByteBuf;

/**
 * Reads and writes {@code drover.v1.RequestHeader}, the header of a client's frame.
 *
 * <p>An instance holds the last decoded header; the task type is kept as a range of the frame's
 * bytes so that decoding allocates nothing. So is the traceparent: a request without one costs
 * a store in {@link #reset} and nothing else.
 */
public final class RequestHeaderCodec extends HeaderDecoder {
  /** {@code RequestHeader.Kind.SUBMIT}. */
  public static final int KIND_SUBMIT = 0;
  /** {@code RequestHeader.Kind.PING}. */
  public static final int KIND_PING = 1;
  /** {@code RequestHeader.Kind.CANCEL}. */
  public static final int KIND_CANCEL = 2;
  /** {@code RequestHeader.Kind.JOB}. */
  public static final int KIND_JOB = 3;
  /** {@code RequestHeader.Kind.AUTH}: the body is the client's token. */
  public static final int KIND_AUTH = 4;

  private static final int F_KIND = 1;
  private static final int F_REQUEST_ID = 2;
  private static final int F_TASK_TYPE = 3;
  private static final int F_NO_RETRY = 4;
  private static final int F_ROUTING_KEY = 5;
  private static final int F_PRIORITY = 6;
  private static final int F_TIMEOUT_MS = 7;
  private static final int F_TRACEPARENT = 8;

  /** {@code RequestHeader.Priority.NORMAL}. */
  public static final int PRIORITY_NORMAL = 0;
  /** {@code RequestHeader.Priority.HIGH}. */
  public static final int PRIORITY_HIGH = 1;
  /** {@code RequestHeader.Priority.LOW}. */
  public static final int PRIORITY_LOW = 2;

  private int frameIndex;
  private int kind;
  private long requestId;
  private int taskTypeIndex;
  private int taskTypeLength;
  private boolean noRetry;
  private int routingKeyIndex;
  private int routingKeyLength;
  private int priority;
  private int timeoutMs;
  private int traceparentIndex;
  private int traceparentLength;

  @Override
  void reset(ByteBuf frame) {
    frameIndex = frame.readerIndex();
    kind = KIND_SUBMIT;
    requestId = 0;
    taskTypeIndex = frame.readerIndex();
    taskTypeLength = 0;
    noRetry = false;
    routingKeyIndex = frame.readerIndex();
    routingKeyLength = 0;
    priority = PRIORITY_NORMAL;
    timeoutMs = 0;
    traceparentLength = 0;
  }

  @Override
  boolean readField(ByteBuf frame, int field, int wireType) {
    if (field == F_KIND && wireType == VARINT) {
      kind = ProtoWire.readVarint32(frame);
      return true;
    }
    if (field == F_REQUEST_ID && wireType == VARINT) {
      requestId = ProtoWire.readVarint64(frame);
      return true;
    }
    if (field == F_TASK_TYPE && wireType == LENGTH_DELIMITED) {
      taskTypeLength = ProtoWire.readLength(frame);
      taskTypeIndex = frame.readerIndex();
      frame.skipBytes(taskTypeLength);
      return true;
    }
    if (field == F_NO_RETRY && wireType == VARINT) {
      noRetry = ProtoWire.readVarint64(frame) != 0;
      return true;
    }
    if (field == F_TIMEOUT_MS && wireType == VARINT) {
      timeoutMs = ProtoWire.readVarint32(frame);
      return true;
    }
    if (field == F_PRIORITY && wireType == VARINT) {
      priority = ProtoWire.readVarint32(frame);
      return true;
    }
    if (field == F_ROUTING_KEY && wireType == LENGTH_DELIMITED) {
      routingKeyLength = ProtoWire.readLength(frame);
      routingKeyIndex = frame.readerIndex();
      frame.skipBytes(routingKeyLength);
      return true;
    }
    return field == F_TRACEPARENT && wireType == LENGTH_DELIMITED && readTraceparent(frame);
  }

  /**
   * Out of {@link #readField}, so that an untraced request's header decodes through the same
   * small method as before traceparents (a larger one inlines less well on the hot path).
   */
  private boolean readTraceparent(ByteBuf frame) {
    int length = ProtoWire.readLength(frame);
    int index = frame.readerIndex();
    // A malformed one is dropped, as W3C trace context asks of a receiver: the task runs
    // untraced rather than failing for the sake of its telemetry.
    if (Traceparent.isWellFormed(frame, index, length)) {
      traceparentIndex = index;
      traceparentLength = length;
    } else {
      traceparentLength = 0;
    }
    frame.skipBytes(length);
    return true;
  }

  /** The decoded kind ({@link #KIND_SUBMIT}, {@link #KIND_PING} or a value this version does not know). */
  public int kind() {
    return kind;
  }

  /** The reader index the last decode started at: where the frame's header begins. */
  public int frameIndex() {
    return frameIndex;
  }

  /** The decoded request id. */
  public long requestId() {
    return requestId;
  }

  /** Absolute index in the frame of the task type's first byte. */
  public int taskTypeIndex() {
    return taskTypeIndex;
  }

  /** Length in bytes of the task type; 0 when absent. */
  public int taskTypeLength() {
    return taskTypeLength;
  }

  /** The decoded deadline in milliseconds after receipt, unsigned; 0 when none. */
  public int timeoutMs() {
    return timeoutMs;
  }

  /** The decoded priority number ({@link #PRIORITY_NORMAL} when absent; unknown values as sent). */
  public int priority() {
    return priority;
  }

  /** Absolute index in the frame of the routing key's first byte. */
  public int routingKeyIndex() {
    return routingKeyIndex;
  }

  /** Length in bytes of the routing key; 0 when absent. */
  public int routingKeyLength() {
    return routingKeyLength;
  }

  /** Absolute index in the frame of the traceparent's first byte; meaningful when its length is not 0. */
  public int traceparentIndex() {
    return traceparentIndex;
  }

  /**
   * Length in bytes of the traceparent: {@link Traceparent#LENGTH}, or 0 when absent or dropped
   * as malformed (see {@link Traceparent#isWellFormed}).
   */
  public int traceparentLength() {
    return traceparentLength;
  }

  /** Whether the decoded request asked not to be retried after a worker crash. */
  public boolean noRetry() {
    return noRetry;
  }

  /** Size of the header message for a request with no optional fields. */
  public static int headerSize(int kind, long requestId, byte[] taskType) {
    return headerSize(kind, requestId, taskType, false, ProtoWire.EMPTY, PRIORITY_NORMAL, 0, ProtoWire.EMPTY);
  }

  /**
   * Size of the header message for these fields; defaults ({@code false}, empty, {@link
   * #PRIORITY_NORMAL}, 0) are omitted from the wire as protobuf does. {@code traceparent} is
   * written as given: the caller checks it ({@link Traceparent#isWellFormed(CharSequence)}).
   */
  public static int headerSize(
      int kind,
      long requestId,
      byte[] taskType,
      boolean noRetry,
      byte[] routingKey,
      int priority,
      int timeoutMs,
      byte[] traceparent) {
    return ProtoWire.varintFieldSize(F_KIND, kind)
        + ProtoWire.varintFieldSize(F_REQUEST_ID, requestId)
        + ProtoWire.bytesFieldSize(F_TASK_TYPE, taskType)
        + ProtoWire.varintFieldSize(F_NO_RETRY, noRetry ? 1 : 0)
        + ProtoWire.bytesFieldSize(F_ROUTING_KEY, routingKey)
        + ProtoWire.varintFieldSize(F_PRIORITY, priority)
        + ProtoWire.varintFieldSize(F_TIMEOUT_MS, Integer.toUnsignedLong(timeoutMs))
        + ProtoWire.bytesFieldSize(F_TRACEPARENT, traceparent);
  }

  /**
   * Writes a whole frame: prefixes, header and a copy of {@code body}'s readable bytes (whose
   * reader index is not moved).
   */
  public static void writeFrame(ByteBuf out, int kind, long requestId, byte[] taskType, ByteBuf body) {
    int bodyBytes = body == null ? 0 : body.readableBytes();
    writeFramePrefix(out, kind, requestId, taskType, bodyBytes);
    if (bodyBytes > 0) {
      out.writeBytes(body, body.readerIndex(), bodyBytes);
    }
  }

  /** Writes a whole frame whose body is {@code body}. */
  public static void writeFrame(ByteBuf out, int kind, long requestId, byte[] taskType, byte[] body) {
    writeFramePrefix(out, kind, requestId, taskType, body.length);
    out.writeBytes(body);
  }

  /** Writes everything of a frame but its body of {@code bodyBytes}, which the caller writes next. */
  public static void writeFramePrefix(
      ByteBuf out, int kind, long requestId, byte[] taskType, int bodyBytes) {
    writeFramePrefix(
        out, kind, requestId, taskType, false, ProtoWire.EMPTY, PRIORITY_NORMAL, 0, ProtoWire.EMPTY, bodyBytes);
  }

  /** Writes everything of a frame but its body, with every optional field. */
  public static void writeFramePrefix(
      ByteBuf out,
      int kind,
      long requestId,
      byte[] taskType,
      boolean noRetry,
      byte[] routingKey,
      int priority,
      int timeoutMs,
      byte[] traceparent,
      int bodyBytes) {
    int headerBytes =
        headerSize(kind, requestId, taskType, noRetry, routingKey, priority, timeoutMs, traceparent);
    FramePrefix.write(out, headerBytes, bodyBytes);
    ProtoWire.writeVarintField(out, F_KIND, kind);
    ProtoWire.writeVarintField(out, F_REQUEST_ID, requestId);
    writeFieldsAfterId(out, taskType, noRetry, routingKey, priority, timeoutMs, traceparent);
  }

  private static void writeFieldsAfterId(
      ByteBuf out, byte[] taskType, boolean noRetry, byte[] routingKey, int priority, int timeoutMs, byte[] traceparent) {
    ProtoWire.writeBytesField(out, F_TASK_TYPE, taskType);
    ProtoWire.writeVarintField(out, F_NO_RETRY, noRetry ? 1 : 0);
    ProtoWire.writeBytesField(out, F_ROUTING_KEY, routingKey);
    ProtoWire.writeVarintField(out, F_PRIORITY, priority);
    ProtoWire.writeVarintField(out, F_TIMEOUT_MS, Integer.toUnsignedLong(timeoutMs));
    ProtoWire.writeBytesField(out, F_TRACEPARENT, traceparent);
  }

  /**
   * The header's fields after its kind and request id (task type to traceparent), encoded as
   * {@link #writeFramePrefix(ByteBuf, int, long, byte[], boolean, byte[], int, int, byte[], int)}
   * writes them: a sender that sends many frames with the same fields encodes them once and
   * writes each frame with {@link #writeFramePrefix(ByteBuf, byte[], int, long, byte[], int)}.
   */
  public static byte[] fieldsAfterId(
      byte[] taskType, boolean noRetry, byte[] routingKey, int priority, int timeoutMs, byte[] traceparent) {
    int bytes = headerSize(KIND_SUBMIT, 0, taskType, noRetry, routingKey, priority, timeoutMs, traceparent);
    ByteBuf out = io.netty.buffer.Unpooled.wrappedBuffer(new byte[bytes]).clear();
    // Kind SUBMIT (0) and request id 0 are sized out, which leaves exactly the fields after them.
    writeFieldsAfterId(out, taskType, noRetry, routingKey, priority, timeoutMs, traceparent);
    return out.array();
  }

  /** Bytes a whole frame takes, prefixes included, whose header's later fields are {@code fieldsAfterId}. */
  public static int frameSizeWithFields(int kind, long requestId, byte[] fieldsAfterId, int bodyBytes) {
    int headerBytes = headerSizeWithFields(kind, requestId, fieldsAfterId);
    return FramePrefix.size(headerBytes, bodyBytes) + headerBytes + bodyBytes;
  }

  /** Most bytes {@link #writeFramePrefix(ByteBuf, byte[], int, long, byte[], int)} puts in its scratch. */
  public static final int MAX_PREFIX_SCRATCH = 5 + 5 + 1 + 10 + 1 + 10;

  /**
   * Writes everything of a frame but its body of {@code bodyBytes}, as {@link
   * #writeFramePrefix(ByteBuf, int, long, byte[], boolean, byte[], int, int, byte[], int)} does,
   * from the header's later fields encoded by {@link #fieldsAfterId}: the few varints go through
   * {@code scratch} (at least {@link #MAX_PREFIX_SCRATCH} bytes) into one write, the fields into
   * another, which saves a buffer's bounds and liveness checks per byte.
   */
  public static void writeFramePrefix(
      ByteBuf out, byte[] scratch, int kind, long requestId, byte[] fieldsAfterId, int bodyBytes) {
    int headerBytes = headerSizeWithFields(kind, requestId, fieldsAfterId);
    int frameBytes = ProtoWire.varint32Size(headerBytes) + headerBytes + bodyBytes;
    int n = putVarint(scratch, 0, frameBytes);
    n = putVarint(scratch, n, headerBytes);
    if (kind != 0) {
      scratch[n++] = (byte) ProtoWire.tag(F_KIND, ProtoWire.VARINT);
      n = putVarint(scratch, n, kind); // sign-extended, as protobuf writes an int32
    }
    if (requestId != 0) {
      scratch[n++] = (byte) ProtoWire.tag(F_REQUEST_ID, ProtoWire.VARINT);
      n = putVarint(scratch, n, requestId);
    }
    out.writeBytes(scratch, 0, n);
    out.writeBytes(fieldsAfterId);
  }

  private static int headerSizeWithFields(int kind, long requestId, byte[] fieldsAfterId) {
    return ProtoWire.varintFieldSize(F_KIND, kind)
        + ProtoWire.varintFieldSize(F_REQUEST_ID, requestId)
        + fieldsAfterId.length;
  }

  private static int putVarint(byte[] dst, int at, long value) {
    while ((value & ~0x7FL) != 0) {
      dst[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    dst[at++] = (byte) value;
    return at;
  }

  /** Bytes a whole frame with no optional fields takes, prefixes included. */
  public static int frameSize(int kind, long requestId, byte[] taskType, int bodyBytes) {
    return frameSize(
        kind, requestId, taskType, false, ProtoWire.EMPTY, PRIORITY_NORMAL, 0, ProtoWire.EMPTY, bodyBytes);
  }

  /** Bytes a whole frame takes, prefixes included, with every optional field. */
  public static int frameSize(
      int kind,
      long requestId,
      byte[] taskType,
      boolean noRetry,
      byte[] routingKey,
      int priority,
      int timeoutMs,
      byte[] traceparent,
      int bodyBytes) {
    int headerBytes =
        headerSize(kind, requestId, taskType, noRetry, routingKey, priority, timeoutMs, traceparent);
    return FramePrefix.size(headerBytes, bodyBytes) + headerBytes + bodyBytes;
  }
}
