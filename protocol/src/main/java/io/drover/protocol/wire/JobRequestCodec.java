package io.drover.protocol.wire;

import static io.drover.protocol.wire.ProtoWire.LENGTH_DELIMITED;
import static io.drover.protocol.wire.ProtoWire.VARINT;

import io.drover.protocol.frame.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Reads {@code drover.v1.JobRequest}, the body of a JOB request, without copying: each subtask's
 * type, payload and routing key are kept as ranges (absolute indexes) of the frame they were read
 * from, so a master can hand a subtask's payload to a worker as a slice of the client's frame.
 *
 * <p>An instance holds the last decoded request and reuses its arrays for the next one.
 */
public final class JobRequestCodec {
  private static final int F_SUBTASKS = 1;
  private static final int F_STREAM = 2;
  private static final int F_REDUCE_TYPE = 3;
  private static final int S_TASK_TYPE = 1;
  private static final int S_PAYLOAD = 2;
  private static final int S_ROUTING_KEY = 3;
  /** Ints per subtask in {@link #ranges}: type, payload and routing key, each index and length. */
  private static final int STRIDE = 6;

  private final int maxSubtasks;
  private int count;
  private int[] ranges = new int[STRIDE * 16];
  private boolean stream;
  private int reduceTypeIndex;
  private int reduceTypeLength;

  /**
   * Creates a codec that refuses requests of more than {@code maxSubtasks} subtasks.
   *
   * @param maxSubtasks at least 0
   */
  public JobRequestCodec(int maxSubtasks) {
    if (maxSubtasks < 0) {
      throw new IllegalArgumentException("maxSubtasks: " + maxSubtasks + " (expected: >= 0)");
    }
    this.maxSubtasks = maxSubtasks;
  }

  /**
   * Decodes the JobRequest made of {@code buf}'s readable bytes, which are not consumed.
   *
   * @throws MalformedFrameException when they are not a valid JobRequest, or it has too many
   *     subtasks
   */
  public void decode(ByteBuf buf) {
    count = 0;
    stream = false;
    reduceTypeIndex = buf.readerIndex();
    reduceTypeLength = 0;
    int readerIndex = buf.readerIndex();
    int writerIndex = buf.writerIndex();
    try {
      while (buf.isReadable()) {
        int tag = ProtoWire.readVarint32(buf);
        int field = tag >>> 3;
        int wireType = tag & 7;
        if (field == 0) {
          throw new MalformedFrameException("JobRequest field number 0 is invalid");
        }
        if (field == F_SUBTASKS && wireType == LENGTH_DELIMITED) {
          int length = ProtoWire.readLength(buf);
          int end = buf.readerIndex() + length;
          buf.writerIndex(end);
          readSubtask(buf);
          buf.writerIndex(writerIndex);
        } else if (field == F_STREAM && wireType == VARINT) {
          stream = ProtoWire.readVarint64(buf) != 0;
        } else if (field == F_REDUCE_TYPE && wireType == LENGTH_DELIMITED) {
          reduceTypeLength = ProtoWire.readLength(buf);
          reduceTypeIndex = buf.readerIndex();
          buf.skipBytes(reduceTypeLength);
        } else {
          ProtoWire.skipField(buf, wireType);
        }
      }
    } finally {
      buf.setIndex(readerIndex, writerIndex);
    }
  }

  private void readSubtask(ByteBuf buf) {
    if (count == maxSubtasks) {
      throw new MalformedFrameException("the job has more than " + maxSubtasks + " subtasks");
    }
    int base = count * STRIDE;
    if (base + STRIDE > ranges.length) {
      ranges = Arrays.copyOf(ranges, Math.max(base + STRIDE, ranges.length * 2));
    }
    int start = buf.readerIndex();
    Arrays.fill(ranges, base, base + STRIDE, 0);
    ranges[base] = start;
    ranges[base + 2] = start;
    ranges[base + 4] = start;
    while (buf.isReadable()) {
      int tag = ProtoWire.readVarint32(buf);
      int field = tag >>> 3;
      int wireType = tag & 7;
      if (field == 0) {
        throw new MalformedFrameException("Subtask field number 0 is invalid");
      }
      if (wireType == LENGTH_DELIMITED && field >= S_TASK_TYPE && field <= S_ROUTING_KEY) {
        int length = ProtoWire.readLength(buf);
        int slot = base + (field - 1) * 2;
        ranges[slot] = buf.readerIndex();
        ranges[slot + 1] = length;
        buf.skipBytes(length);
      } else {
        ProtoWire.skipField(buf, wireType);
      }
    }
    count++;
  }

  /** Subtasks in the decoded request. */
  public int count() {
    return count;
  }

  /** Whether the request asked for each subtask's result to be streamed. */
  public boolean stream() {
    return stream;
  }

  /** Absolute index of subtask {@code i}'s task type. */
  public int taskTypeIndex(int i) {
    return ranges[i * STRIDE];
  }

  /** Length of subtask {@code i}'s task type; 0 when it has none (the request's default). */
  public int taskTypeLength(int i) {
    return ranges[i * STRIDE + 1];
  }

  /** Absolute index of subtask {@code i}'s payload. */
  public int payloadIndex(int i) {
    return ranges[i * STRIDE + 2];
  }

  /** Length of subtask {@code i}'s payload. */
  public int payloadLength(int i) {
    return ranges[i * STRIDE + 3];
  }

  /** Absolute index of subtask {@code i}'s routing key. */
  public int routingKeyIndex(int i) {
    return ranges[i * STRIDE + 4];
  }

  /** Length of subtask {@code i}'s routing key; 0 when it has none. */
  public int routingKeyLength(int i) {
    return ranges[i * STRIDE + 5];
  }

  /** Absolute index of the reduce task type. */
  public int reduceTypeIndex() {
    return reduceTypeIndex;
  }

  /** Length of the reduce task type; 0 when the job has no reduce step. */
  public int reduceTypeLength() {
    return reduceTypeLength;
  }
}
