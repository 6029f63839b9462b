package io.drover.protocol.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Frames built and read with the stock protobuf library only, the way a client in another
 * language would: {@code varint32 N, varint32 H, header, body}.
 */
final class ProtobufFrames {
  private ProtobufFrames() {}

  /** A header and the body that followed it. */
  record Parsed<M extends Message>(M header, byte[] body) {}

  /** A whole frame: outer length, then {@code header.writeDelimitedTo}, then the body. */
  static byte[] frame(Message header, byte[] body) {
    try {
      ByteArrayOutputStream inner = new ByteArrayOutputStream();
      header.writeDelimitedTo(inner);
      inner.write(body);
      return withLength(inner.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A whole frame around raw header bytes, which need not be a valid message. */
  static byte[] frameOfRawHeader(byte[] header, byte[] body) {
    return withLength(concat(withLength(header), body));
  }

  /** The bytes after the outer length for raw header bytes. */
  static byte[] innerOfRawHeader(byte[] header, byte[] body) {
    return concat(withLength(header), body);
  }

  /** {@code varint32(bytes.length)} followed by {@code bytes}. */
  static byte[] withLength(byte[] bytes) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      coded.writeUInt32NoTag(bytes.length);
      coded.writeRawBytes(bytes);
      coded.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one whole frame with {@link CodedInputStream}; it must be exactly one frame. */
  @SuppressWarnings("unchecked")
  static <M extends Message> Parsed<M> parse(byte[] frame, M prototype) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(frame);
      int frameBytes = in.readRawVarint32();
      if (frameBytes != frame.length - CodedOutputStream.computeUInt32SizeNoTag(frameBytes)) {
        throw new AssertionError("outer length " + frameBytes + " for " + frame.length + " bytes");
      }
      int frameLimit = in.pushLimit(frameBytes);
      int headerBytes = in.readRawVarint32();
      int headerLimit = in.pushLimit(headerBytes);
      M header = (M) prototype.getParserForType().parseFrom(in);
      if (!in.isAtEnd()) {
        throw new AssertionError("header not fully read");
      }
      in.popLimit(headerLimit);
      byte[] body = in.readRawBytes(in.getBytesUntilLimit());
      in.popLimit(frameLimit);
      if (!in.isAtEnd()) {
        throw new AssertionError("bytes after the frame");
      }
      return new Parsed<>(header, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses header bytes with the generated class, forgetting unknown fields; null if invalid. */
  @SuppressWarnings("unchecked")
  static <M extends Message> M parseHeaderOrNull(byte[] header, M prototype) {
    try {
      return withoutUnknownFields((M) prototype.getParserForType().parseFrom(header));
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** {@code message} with its unknown fields dropped, to compare with what a codec keeps. */
  @SuppressWarnings("unchecked")
  static <M extends Message> M withoutUnknownFields(M message) {
    return (M) message.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
