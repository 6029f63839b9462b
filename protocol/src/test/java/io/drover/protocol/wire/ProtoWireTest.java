package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.drover.protocol.frame.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link ProtoWire}'s varints at every size boundary, against protobuf's own writer. */
class ProtoWireTest {
  private static String hex(Consumer<ByteBuf> writer) {
    ByteBuf buf = Unpooled.buffer();
    try {
      writer.accept(buf);
      return ByteBufUtil.hexDump(buf);
    } finally {
      buf.release();
    }
  }

  private static <T> T read(String hex, java.util.function.Function<ByteBuf, T> reader) {
    ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    try {
      T value = reader.apply(buf);
      assertThat(buf.isReadable()).as("bytes left after reading %s", hex).isFalse();
      return value;
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "0, 1, 00",
    "1, 1, 01",
    "127, 1, 7f",
    "128, 2, 8001",
    "300, 2, ac02",
    "16383, 2, ff7f",
    "16384, 3, 808001",
    "2097151, 3, ffff7f",
    "2097152, 4, 80808001",
    "268435455, 4, ffffff7f",
    "268435456, 5, 8080808001",
    "2147483647, 5, ffffffff07",
    "-2147483648, 5, 8080808008",
    "-1, 5, ffffffff0f",
  })
  void varint32AtBoundaries(int value, int size, String hex) {
    assertThat(ProtoWire.varint32Size(value)).isEqualTo(size);
    assertThat(CodedOutputStream.computeUInt32SizeNoTag(value)).isEqualTo(size);
    assertThat(hex(b -> ProtoWire.writeVarint32(b, value))).isEqualTo(hex);
    assertThat(read(hex, ProtoWire::readVarint32)).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 1",
    "127, 1",
    "128, 2",
    "16383, 2",
    "16384, 3",
    "34359738367, 5",
    "34359738368, 6",
    "4398046511103, 6",
    "4398046511104, 7",
    "562949953421311, 7",
    "562949953421312, 8",
    "72057594037927935, 8",
    "72057594037927936, 9",
    "9223372036854775807, 9",
    "-9223372036854775808, 10",
    "-1, 10",
  })
  void varint64AtBoundaries(long value, int size) {
    assertThat(ProtoWire.varint64Size(value)).isEqualTo(size);
    assertThat(CodedOutputStream.computeUInt64SizeNoTag(value)).isEqualTo(size);
    String hex = hex(b -> ProtoWire.writeVarint64(b, value));
    assertThat(hex).hasSize(2 * size);
    assertThat(read(hex, ProtoWire::readVarint64)).isEqualTo(value);
  }

  @Test
  void readsANegativeInt32WrittenAsTenBytesLikeProtobuf() {
    // protobuf writes int32 -1 (and negative enums) sign-extended to 64 bits.
    assertThat(read("ffffffffffffffffff01", ProtoWire::readVarint32)).isEqualTo(-1);
  }

  @Test
  void acceptsNonMinimalVarints() {
    assertThat(read("8000", ProtoWire::readVarint32)).isZero();
    assertThat(read("ff80808000", ProtoWire::readVarint64)).isEqualTo(127);
  }

  @Test
  void refusesATruncatedVarint() {
    assertThatThrownBy(() -> read("", ProtoWire::readVarint64))
        .isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> read("8080", ProtoWire::readVarint32))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("truncated varint");
  }

  @Test
  void theTenthByteEndsAVarintAsInProtobufJava() {
    // protobuf-java parses these ten bytes as 2^64 - 1 and reads the next byte as a new tag.
    ByteBuf in = Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump("ffffffffffffffffffff01"));
    assertThat(ProtoWire.readVarint64(in)).isEqualTo(-1L);
    assertThat(in.readableBytes()).isEqualTo(1);
  }

  @Test
  void tagsCombineNumberAndWireType() {
    assertThat(ProtoWire.tag(1, ProtoWire.VARINT)).isEqualTo(0x08);
    assertThat(ProtoWire.tag(3, ProtoWire.LENGTH_DELIMITED)).isEqualTo(0x1a);
    assertThat(ProtoWire.tag(16, ProtoWire.VARINT)).isEqualTo(0x80);
  }

  @Test
  void omitsDefaultFieldsLikeProtobuf() {
    assertThat(hex(b -> ProtoWire.writeVarintField(b, 2, 0))).isEmpty();
    assertThat(ProtoWire.varintFieldSize(2, 0)).isZero();
    assertThat(hex(b -> ProtoWire.writeBytesField(b, 3, ProtoWire.EMPTY))).isEmpty();
    assertThat(ProtoWire.bytesFieldSize(3, ProtoWire.EMPTY)).isZero();
    assertThat(hex(b -> ProtoWire.writeVarintField(b, 2, 150))).isEqualTo("109601");
    assertThat(hex(b -> ProtoWire.writeBytesField(b, 3, ProtoWire.utf8("hi")))).isEqualTo("1a026869");
    assertThat(ProtoWire.utf8(null)).isEmpty();
  }

  @Test
  void readLengthRefusesALengthPastTheEnd() {
    Integer length = read("02aabb", b -> {
      int n = ProtoWire.readLength(b);
      b.skipBytes(n);
      return n;
    });
    assertThat(length).isEqualTo(2);
    assertThatThrownBy(() -> read("03aabb", ProtoWire::readLength))
        .isInstanceOf(MalformedFrameException.class);
    // 2^32 - 1 as a length must not turn into -1 and slip through.
    assertThatThrownBy(() -> read("ffffffff0f", ProtoWire::readLength))
        .isInstanceOf(MalformedFrameException.class);
  }

  private static void skip(String hex, int wireType) {
    read(hex, b -> {
      ProtoWire.skipField(b, wireType);
      return null;
    });
  }

  @Test
  void skipsEverySupportedWireTypeAndRefusesTheOthers() {
    skip("ac02", 0);
    skip("0102030405060708", 1);
    skip("02aabb", 2);
    skip("01020304", 5);
    for (int wireType : new int[] {3, 4, 6, 7}) {
      assertThatThrownBy(() -> skip("00", wireType))
          .isInstanceOf(MalformedFrameException.class)
          .hasMessage("unsupported wire type " + wireType);
    }
    assertThatThrownBy(() -> skip("01020304050607", 1)).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> skip("010203", 5)).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void readHeaderLengthRefusesEmptyAndOverlongFrames() {
    assertThatThrownBy(() -> read("", ProtoWire::readHeaderLength))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("empty frame");
    assertThatThrownBy(() -> read("05aabb", ProtoWire::readHeaderLength))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("header length 5");
  }
}
