package io.drover.protocol.wire;

import io.drover.protocol.frame.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Primitive protobuf wire-format operations on {@link ByteBuf}s. */
public final class ProtoWire {
  /** Wire type of varint fields. */
  public static final int VARINT = 0;
  /** Wire type of fixed 64-bit fields. */
  public static final int FIXED64 = 1;
  /** Wire type of length-delimited fields (strings, bytes, messages). */
  public static final int LENGTH_DELIMITED = 2;
  /** Wire type of fixed 32-bit fields. */
  public static final int FIXED32 = 5;

  private ProtoWire() {}

  /** The tag of field {@code number} with {@code wireType}. */
  public static int tag(int number, int wireType) {
    return (number << 3) | wireType;
  }

  /** Bytes taken by {@code value} as an unsigned varint. */
  public static int varint32Size(int value) {
    // 7 significant bits per byte; (bits + 6) / 7 without a division, as protobuf does.
    return (352 - Integer.numberOfLeadingZeros(value) * 9) >>> 6;
  }

  /** Bytes taken by {@code value} as an unsigned varint. */
  public static int varint64Size(long value) {
    return (640 - Long.numberOfLeadingZeros(value) * 9) >>> 6;
  }

  /** Writes {@code value} as an unsigned varint. */
  public static void writeVarint32(ByteBuf out, int value) {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  /** Writes {@code value} as an unsigned varint. */
  public static void writeVarint64(ByteBuf out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  /** Reads an unsigned varint of at most 32 bits. */
  public static int readVarint32(ByteBuf in) {
    long value = readVarint64(in);
    // protobuf encodes negative int32 as 10-byte varints; keep the low 32 bits as it does.
    return (int) value;
  }

  /**
   * Reads an unsigned varint of at most 64 bits. Like protobuf-java, the tenth byte always ends
   * the varint (its continuation bit and high bits are ignored), so a decoder never reads more
   * than ten bytes and accepts exactly what the reference implementation accepts.
   */
  public static long readVarint64(ByteBuf in) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.isReadable()) {
        throw new MalformedFrameException("truncated varint");
      }
      byte b = in.readByte();
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0 || shift == 63) {
        return result;
      }
    }
    throw new AssertionError("unreachable");
  }

  /** Reads the length of a length-delimited field and checks it fits in what is left of {@code in}. */
  public static int readLength(ByteBuf in) {
    int length = readVarint32(in);
    if (length < 0 || length > in.readableBytes()) {
      throw new MalformedFrameException(
          "field length " + (length & 0xFFFFFFFFL) + " exceeds the " + in.readableBytes()
              + " bytes left");
    }
    return length;
  }

  /** Skips the value of a field of {@code wireType} whose tag has been read. */
  public static void skipField(ByteBuf in, int wireType) {
    switch (wireType) {
      case VARINT -> readVarint64(in);
      case FIXED64 -> skipExactly(in, 8);
      case LENGTH_DELIMITED -> in.skipBytes(readLength(in));
      case FIXED32 -> skipExactly(in, 4);
      default -> throw new MalformedFrameException("unsupported wire type " + wireType);
    }
  }

  private static void skipExactly(ByteBuf in, int n) {
    if (in.readableBytes() < n) {
      throw new MalformedFrameException("truncated fixed-width field");
    }
    in.skipBytes(n);
  }

  /** Writes a varint field unless {@code value} is 0, protobuf's default. */
  public static void writeVarintField(ByteBuf out, int number, long value) {
    if (value != 0) {
      writeVarint32(out, tag(number, VARINT));
      writeVarint64(out, value);
    }
  }

  /** Size of {@link #writeVarintField}'s output. */
  public static int varintFieldSize(int number, long value) {
    return value == 0 ? 0 : varint32Size(tag(number, VARINT)) + varint64Size(value);
  }

  /** Writes a bytes/string field unless {@code value} is empty. */
  public static void writeBytesField(ByteBuf out, int number, byte[] value) {
    if (value.length != 0) {
      writeVarint32(out, tag(number, LENGTH_DELIMITED));
      writeVarint32(out, value.length);
      out.writeBytes(value);
    }
  }

  /** Size of {@link #writeBytesField}'s output. */
  public static int bytesFieldSize(int number, byte[] value) {
    return value.length == 0
        ? 0
        : varint32Size(tag(number, LENGTH_DELIMITED)) + varint32Size(value.length) + value.length;
  }

  /** Reads {@code length} bytes at the reader index as UTF-8 and skips them. */
  public static String readUtf8(ByteBuf in, int length) {
    String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return s;
  }

  /** Encodes {@code s} as UTF-8; {@code null} becomes empty. */
  public static byte[] utf8(String s) {
    return s == null || s.isEmpty() ? EMPTY : s.getBytes(StandardCharsets.UTF_8);
  }

  /** A shared empty array. */
  public static final byte[] EMPTY = new byte[0];

  /**
   * Reads the varint32 header length at the front of a frame and checks it fits.
   *
   * @return the header length; the reader index is then at the header's first byte
   */
  public static int readHeaderLength(ByteBuf frame) {
    if (!frame.isReadable()) {
      throw new MalformedFrameException("empty frame: expected a header length");
    }
    int length = readVarint32(frame);
    if (length < 0 || length > frame.readableBytes()) {
      throw new MalformedFrameException(
          "header length " + (length & 0xFFFFFFFFL) + " exceeds the frame's "
              + frame.readableBytes() + " remaining bytes");
    }
    return length;
  }
}
