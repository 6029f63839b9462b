package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** {@link ProtoWire} writes exactly protobuf's varints and reads back what it wrote. */
class ProtoWireVarintPropertiesTest {
  @Property
  void varint32MatchesProtobufAndRoundTrips(@ForAll int value) throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(expected);
    coded.writeUInt32NoTag(value);
    coded.flush();
    ByteBuf buf = Unpooled.buffer();
    try {
      ProtoWire.writeVarint32(buf, value);
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected.toByteArray());
      assertThat(ProtoWire.varint32Size(value)).isEqualTo(buf.readableBytes());
      assertThat(ProtoWire.readVarint32(buf)).isEqualTo(value);
      assertThat(buf.isReadable()).isFalse();
    } finally {
      buf.release();
    }
  }

  @Property
  void varint64MatchesProtobufAndRoundTrips(@ForAll long value) throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(expected);
    coded.writeUInt64NoTag(value);
    coded.flush();
    ByteBuf buf = Unpooled.buffer();
    try {
      ProtoWire.writeVarint64(buf, value);
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected.toByteArray());
      assertThat(ProtoWire.varint64Size(value)).isEqualTo(buf.readableBytes());
      assertThat(ProtoWire.readVarint64(buf)).isEqualTo(value);
      assertThat(buf.isReadable()).isFalse();
    } finally {
      buf.release();
    }
  }
}
