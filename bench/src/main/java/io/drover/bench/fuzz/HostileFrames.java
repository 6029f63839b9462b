package io.drover.bench.fuzz;

import com.google.protobuf.CodedOutputStream;
import io.drover.protocol.proto.JobRequest;
import io.drover.protocol.proto.RequestHeader;
import io.drover.protocol.proto.Subtask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Makes the frames a fuzzing connection sends: valid ones whose answers can be checked, and
 * hostile ones of every {@link FrameShape}. Every frame but those of the shapes that end a
 * connection has a length prefix that matches its contents, so the stream stays in sync whatever
 * the contents are and the master must keep the connection open.
 *
 * <p>Request ids: tracked echo requests use ids from {@value #TRACKED_BASE} up, so that their
 * answers can be matched; every other frame uses random ids between 2^40 and 2^41, which a flipped
 * bit cannot turn into a tracked id. One instance per connection; not thread-safe.
 */
public final class HostileFrames {
  /** The first id of the echo requests whose answers are checked byte for byte. */
  public static final long TRACKED_BASE = 1L << 62;

  private static final String TYPE = "echo";
  private static final int ECHO_PAYLOAD_MAX = 512;

  private final SplittableRandom random;
  private final int maxFrameBytes;
  private long nextTracked = TRACKED_BASE;

  /** A frame and, for a tracked echo, the id and payload its OK answer must carry. */
  public record Frame(FrameShape shape, byte[] bytes, long trackedId, byte[] expected) {
    /** Whether this frame's answer is checked. */
    public boolean tracked() {
      return expected != null;
    }
  }

  /**
   * @param maxFrameBytes the master's maximum frame size, which {@link FrameShape#HUGE_LENGTH}
   *     exceeds
   */
  public HostileFrames(SplittableRandom random, int maxFrameBytes) {
    this.random = random;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** A frame of {@code shape}. */
  public Frame next(FrameShape shape) {
    return switch (shape) {
      case ECHO -> echo();
      case PING -> plain(shape, frame(header(RequestHeader.Kind.PING, untrackedId(), "").toByteArray(), new byte[0]));
      case BIT_FLIPPED -> plain(shape, flipBits(validFrame()));
      case RANDOM_CONTENT -> plain(shape, frame(bytes(1 + random.nextInt(256))));
      case TRUNCATED_VARINT -> plain(shape, truncatedVarint());
      case WRONG_WIRE_TYPE -> plain(shape, wrongWireType());
      case UNKNOWN_FIELDS -> unknownFields();
      case OVERSIZED_STRINGS -> plain(shape, oversizedStrings());
      case ABSURD_JOB -> plain(shape, absurdJob());
      case EMPTY -> plain(shape, new byte[] {0});
      case STRAY_CANCEL -> plain(shape, frame(header(RequestHeader.Kind.CANCEL, untrackedId(), "").toByteArray(), new byte[0]));
      case HUGE_LENGTH -> plain(shape, hugeLength());
      case BAD_PREFIX -> plain(shape, badPrefix());
      case HALF_FRAME_THEN_CLOSE -> {
        byte[] whole = echo().bytes();
        yield plain(shape, Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1)));
      }
    };
  }

  /** A valid PING with {@code id}, answered OK with the same id. */
  public static byte[] ping(long id) {
    return frame(header(RequestHeader.Kind.PING, id, "").toByteArray(), new byte[0]);
  }

  private static Frame plain(FrameShape shape, byte[] bytes) {
    return new Frame(shape, bytes, 0, null);
  }

  private Frame echo() {
    long id = nextTracked++;
    byte[] payload = bytes(random.nextInt(ECHO_PAYLOAD_MAX + 1));
    return new Frame(FrameShape.ECHO, frame(header(RequestHeader.Kind.SUBMIT, id, TYPE).toByteArray(), payload), id, payload);
  }

  /** A valid SUBMIT with fields 99, 1000 and 5000 (varint, bytes, fixed64): answered as without them. */
  private Frame unknownFields() {
    long id = nextTracked++;
    byte[] payload = bytes(random.nextInt(64));
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    write(header, out -> {
      out.writeUInt64(2, id);
      out.writeString(3, TYPE);
      out.writeUInt64(99, random.nextLong());
      out.writeByteArray(1000, bytes(random.nextInt(300)));
      out.writeFixed64(5000, random.nextLong());
    });
    return new Frame(FrameShape.UNKNOWN_FIELDS, frame(header.toByteArray(), payload), id, payload);
  }

  /** A valid request of a random kind, any of whose bits {@link #flipBits} may flip. */
  private byte[] validFrame() {
    return switch (random.nextInt(5)) {
      case 0 -> frame(header(RequestHeader.Kind.SUBMIT, untrackedId(), TYPE).toByteArray(), bytes(random.nextInt(64)));
      case 1 -> frame(
          header(RequestHeader.Kind.SUBMIT, untrackedId(), "sha256")
              .toBuilder()
              .setRoutingKey("key-" + random.nextInt(100))
              .setPriorityValue(random.nextInt(3))
              .setTimeoutMs(1 + random.nextInt(60_000))
              .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
              .build()
              .toByteArray(),
          bytes(random.nextInt(64)));
      case 2 -> frame(header(RequestHeader.Kind.PING, untrackedId(), "").toByteArray(), new byte[0]);
      case 3 -> frame(header(RequestHeader.Kind.CANCEL, untrackedId(), "").toByteArray(), new byte[0]);
      default -> frame(header(RequestHeader.Kind.JOB, untrackedId(), TYPE).toByteArray(), job(1 + random.nextInt(4), TYPE).toByteArray());
    };
  }

  /** Flips one to four bits after the length prefix, which stays right. */
  private byte[] flipBits(byte[] frame) {
    int start = prefixBytes(frame);
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips && frame.length > start; i++) {
      int at = start + random.nextInt(frame.length - start);
      frame[at] ^= (byte) (1 << random.nextInt(8));
    }
    return frame;
  }

  private byte[] truncatedVarint() {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    // Some valid fields first, then a tag or a value whose varint never ends.
    if (random.nextBoolean()) {
      write(header, out -> out.writeUInt64(2, untrackedId()));
    }
    int cut = random.nextInt(3);
    if (cut == 0) {
      header.write(0x10); // request_id's tag, then a value of continuation bytes only
      for (int i = 1 + random.nextInt(9); i > 0; i--) {
        header.write(0x80 | random.nextInt(128));
      }
    } else if (cut == 1) {
      header.write(0x80 | random.nextInt(128)); // a tag that never ends
    } else {
      header.write(0x1A); // task_type's tag, then a length that never ends
      header.write(0xFF);
    }
    return frame(header.toByteArray(), bytes(random.nextInt(16)));
  }

  private byte[] wrongWireType() {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    write(header, out -> {
      switch (random.nextInt(7)) {
        case 0 -> out.writeByteArray(2, bytes(3)); // request_id as bytes
        case 1 -> out.writeUInt64(3, random.nextLong()); // task_type as a varint
        case 2 -> out.writeFixed32(1, random.nextInt()); // kind as fixed32
        case 3 -> { // a group, which proto3 does not have
          out.writeTag(3, 3);
          out.writeUInt64(2, 1);
          out.writeTag(3, 4);
        }
        case 4 -> out.writeTag(1 + random.nextInt(9), 6 + random.nextInt(2)); // undefined wire types
        case 5 -> out.writeRawVarint32(0 /* field 0 */ | random.nextInt(6));
        default -> out.writeFixed64(7, random.nextLong()); // timeout_ms as fixed64
      }
      out.writeString(3, TYPE);
    });
    return frame(header.toByteArray(), bytes(random.nextInt(16)));
  }

  private byte[] oversizedStrings() {
    RequestHeader.Builder h = header(RequestHeader.Kind.SUBMIT, untrackedId(), TYPE).toBuilder();
    switch (random.nextInt(4)) {
      case 0 -> h.setTaskType("t".repeat(256 + random.nextInt(200)));
      case 1 -> h.setRoutingKey("k".repeat(256 + random.nextInt(10_000)));
      case 2 -> h.setTraceparent("01-" + "z".repeat(52)); // 55 bytes, not version 00: dropped
      default -> {
        // A task type that is not UTF-8, which the protobuf builder refuses to make.
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        long id = untrackedId();
        write(header, out -> {
          out.writeUInt64(2, id);
          out.writeByteArray(3, new byte[] {(byte) 0xC3, 0x28});
        });
        return frame(header.toByteArray(), bytes(random.nextInt(64)));
      }
    }
    return frame(h.build().toByteArray(), bytes(random.nextInt(64)));
  }

  private byte[] absurdJob() {
    long id = untrackedId();
    byte[] header = header(RequestHeader.Kind.JOB, id, TYPE).toByteArray();
    return switch (random.nextInt(5)) {
      // One more than the most a job may have, each subtask two bytes: refused whole.
      case 0 -> frame(header, emptySubtasks(100_001));
      // Many subtasks of a type no worker runs.
      case 1 -> frame(header, job(1_000 + random.nextInt(20_000), "no-such-type").toByteArray());
      // A subtasks field that claims a gigabyte.
      case 2 -> frame(header, new byte[] {0x0A, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04});
      // A reduce step of a type no worker runs, over a few real subtasks, streamed.
      case 3 -> frame(header, job(1 + random.nextInt(8), TYPE).toBuilder().setReduceType("no-such-reduce").setStream(true).build().toByteArray());
      // Subtasks whose fields are garbage.
      default -> frame(header, garbageSubtasks(1 + random.nextInt(50)));
    };
  }

  private static byte[] emptySubtasks(int count) {
    byte[] body = new byte[count * 2];
    for (int i = 0; i < body.length; i += 2) {
      body[i] = 0x0A; // field 1, length-delimited, length 0
    }
    return body;
  }

  private byte[] garbageSubtasks(int count) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(body, out -> {
      for (int i = 0; i < count; i++) {
        out.writeByteArray(1, bytes(random.nextInt(20)));
      }
    });
    return body.toByteArray();
  }

  private static JobRequest job(int subtasks, String type) {
    JobRequest.Builder job = JobRequest.newBuilder();
    for (int i = 0; i < subtasks; i++) {
      job.addSubtasks(Subtask.newBuilder().setTaskType(type));
    }
    return job.build();
  }

  private byte[] hugeLength() {
    long length = maxFrameBytes + 1L + (long) (random.nextDouble() * ((1L << 31) - maxFrameBytes - 2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, o -> o.writeUInt32NoTag((int) length));
    return out.toByteArray();
  }

  private byte[] badPrefix() {
    return switch (random.nextInt(3)) {
      case 0 -> new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}; // six bytes
      case 1 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x1F}; // overflows 32 bits
      default -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}; // 4 GiB - 1
    };
  }

  private static RequestHeader header(RequestHeader.Kind kind, long id, String type) {
    return RequestHeader.newBuilder().setKind(kind).setRequestId(id).setTaskType(type).build();
  }

  private long untrackedId() {
    return (1L << 40) + random.nextLong(1L << 40);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** {@code header}, with its length, then {@code body}, the whole behind the frame's length. */
  static byte[] frame(byte[] header, byte[] body) {
    int contents = CodedOutputStream.computeUInt32SizeNoTag(header.length) + header.length + body.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream(contents + 5);
    write(out, o -> {
      o.writeUInt32NoTag(contents);
      o.writeUInt32NoTag(header.length);
      o.writeRawBytes(header);
      o.writeRawBytes(body);
    });
    return out.toByteArray();
  }

  /** {@code contents} behind a length prefix that matches it. */
  static byte[] frame(byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 5);
    write(out, o -> {
      o.writeUInt32NoTag(contents.length);
      o.writeRawBytes(contents);
    });
    return out.toByteArray();
  }

  /** The length of a frame's length prefix. */
  static int prefixBytes(byte[] frame) {
    int i = 0;
    while (i < frame.length && (frame[i] & 0x80) != 0) {
      i++;
    }
    return i + 1;
  }

  private interface Writes {
    void to(CodedOutputStream out) throws IOException;
  }

  private static void write(ByteArrayOutputStream target, Writes writes) {
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(target);
      writes.to(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
  }

  /** Text for a log line: the shape and the first bytes. */
  static String describe(Frame frame) {
    byte[] b = frame.bytes();
    StringBuilder s = new StringBuilder(frame.shape().name()).append(" (").append(b.length).append(" bytes:");
    for (int i = 0; i < Math.min(b.length, 24); i++) {
      s.append(' ').append(String.format("%02x", b[i] & 0xFF));
    }
    return s.append(b.length > 24 ? " ...)" : ")").toString();
  }
}
