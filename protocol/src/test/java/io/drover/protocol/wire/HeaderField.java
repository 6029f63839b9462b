package io.drover.protocol.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;

/**
 * One field as it appears on the wire, written with protobuf's own {@link CodedOutputStream}. Used
 * to build headers protobuf accepts but a naive codec might not: fields out of order, repeated,
 * explicit defaults, unknown numbers, known numbers with an unexpected wire type.
 */
record HeaderField(int number, int wireType, long value, byte[] bytes) {
  static HeaderField varint(int number, long value) {
    return new HeaderField(number, ProtoWire.VARINT, value, null);
  }

  static HeaderField fixed64(int number, long value) {
    return new HeaderField(number, ProtoWire.FIXED64, value, null);
  }

  static HeaderField fixed32(int number, int value) {
    return new HeaderField(number, ProtoWire.FIXED32, value, null);
  }

  static HeaderField lengthDelimited(int number, byte[] bytes) {
    return new HeaderField(number, ProtoWire.LENGTH_DELIMITED, 0, bytes);
  }

  void writeTo(CodedOutputStream out) throws IOException {
    switch (wireType) {
      case ProtoWire.VARINT -> out.writeUInt64(number, value);
      case ProtoWire.FIXED64 -> out.writeFixed64(number, value);
      case ProtoWire.FIXED32 -> out.writeFixed32(number, (int) value);
      case ProtoWire.LENGTH_DELIMITED -> out.writeBytes(number, ByteString.copyFrom(bytes));
      default -> throw new IllegalStateException("wire type " + wireType);
    }
  }

  /** The header message made of {@code fields}, in that order. */
  static byte[] header(List<HeaderField> fields) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      for (HeaderField field : fields) {
        field.writeTo(out);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "#" + number + "/wt" + wireType + "="
        + (bytes == null ? Long.toUnsignedString(value) : HexFormat.of().formatHex(bytes));
  }
}
