package io.drover.protocol.wire;

import static io.drover.protocol.wire.ProtoWire.LENGTH_DELIMITED;

import io.netty.buffer.ByteBuf;

/**
 * Writes {@code drover.v1.JobResult}, the body of a job's final response and the payload of its
 * reduce task, one {@code SubtaskResult} at a time: compute the whole size with {@link
 * #entrySize} first (frames are length-prefixed), then {@link #writeEntry} each.
 */
public final class JobResultCodec {
  /** {@code JobResult.subtasks}. */
  public static final int SUBTASKS = 1;
  /** {@code JobResult.reduce}. */
  public static final int REDUCE = 2;

  private static final int R_STATUS = 1;
  private static final int R_MESSAGE = 2;
  private static final int R_BODY = 3;
  private static final int R_ATTEMPTS = 4;

  private JobResultCodec() {}

  /** Bytes {@link #writeEntry} writes for these values. */
  public static int entrySize(int status, byte[] message, byte[] body, int attempts) {
    int inner = innerSize(status, message, body, attempts);
    return ProtoWire.varint32Size(ProtoWire.tag(SUBTASKS, LENGTH_DELIMITED))
        + ProtoWire.varint32Size(inner)
        + inner;
  }

  private static int innerSize(int status, byte[] message, byte[] body, int attempts) {
    return ProtoWire.varintFieldSize(R_STATUS, status)
        + ProtoWire.bytesFieldSize(R_MESSAGE, message)
        + ProtoWire.bytesFieldSize(R_BODY, body)
        + ProtoWire.varintFieldSize(R_ATTEMPTS, Integer.toUnsignedLong(attempts));
  }

  /**
   * Writes one SubtaskResult as field {@code field} ({@link #SUBTASKS} or {@link #REDUCE}) of a
   * JobResult; empty {@code message} and {@code body} are left out as protobuf does.
   */
  public static void writeEntry(
      ByteBuf out, int field, int status, byte[] message, byte[] body, int attempts) {
    ProtoWire.writeVarint32(out, ProtoWire.tag(field, LENGTH_DELIMITED));
    ProtoWire.writeVarint32(out, innerSize(status, message, body, attempts));
    ProtoWire.writeVarintField(out, R_STATUS, status);
    ProtoWire.writeBytesField(out, R_MESSAGE, message);
    ProtoWire.writeBytesField(out, R_BODY, body);
    ProtoWire.writeVarintField(out, R_ATTEMPTS, Integer.toUnsignedLong(attempts));
  }
}
