package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.drover.protocol.frame.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties every header codec must have against its generated protobuf class. Each codec's test
 * extends this and supplies the codec and an arbitrary of its header message.
 */
abstract class HeaderCodecProperties<M extends Message> {
  /** The codec under test. */
  abstract HeaderCodecAdapter<M> codec();

  /** Arbitrary headers, with every field at its edges. */
  abstract Arbitrary<M> headerArbitrary();

  @Provide
  Arbitrary<M> headers() {
    return headerArbitrary();
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(20_000)));
  }

  @Provide
  Arbitrary<List<HeaderField>> fieldLayouts() {
    return fieldOf(codec().defaultInstance()).list().ofMaxSize(12);
  }

  @Property
  void codecOutputParsesWithProtobufToTheSameFields(
      @ForAll("headers") M header, @ForAll("bodies") byte[] body, @ForAll boolean direct) {
    ByteBuf out = direct ? PooledByteBufAllocator.DEFAULT.directBuffer() : Unpooled.buffer();
    try {
      codec().encode(out, header, body);
      assertThat(out.readableBytes()).isEqualTo(codec().frameSize(header, body.length));
      ProtobufFrames.Parsed<M> parsed =
          ProtobufFrames.parse(ByteBufUtil.getBytes(out), codec().defaultInstance());
      assertThat(parsed.header()).isEqualTo(header);
      assertThat(parsed.body()).isEqualTo(body);
    } finally {
      out.release();
    }
  }

  @Property
  void codecOutputIsByteForByteWhatProtobufWrites(
      @ForAll("headers") M header, @ForAll("bodies") byte[] body) {
    ByteBuf out = Unpooled.buffer();
    try {
      codec().encode(out, header, body);
      assertThat(ByteBufUtil.hexDump(out))
          .isEqualTo(ByteBufUtil.hexDump(ProtobufFrames.frame(header, body)));
    } finally {
      out.release();
    }
  }

  @Property
  void codecDecodesProtobufOutputAndStopsAtTheBody(
      @ForAll("headers") M header,
      @ForAll("bodies") byte[] body,
      @ForAll boolean direct,
      @ForAll @net.jqwik.api.constraints.IntRange(max = 9) int junkBefore) {
    byte[] frame = ProtobufFrames.frame(header, body);
    ByteBuf buf = direct ? PooledByteBufAllocator.DEFAULT.directBuffer() : Unpooled.buffer();
    try {
      buf.writeZero(junkBefore).writeBytes(frame).skipBytes(junkBefore);
      int frameBytes = ProtoWire.readVarint32(buf);
      assertThat(frameBytes).isEqualTo(buf.readableBytes());
      int writerIndex = buf.writerIndex();

      M decoded = codec().decode(buf);

      assertThat(decoded).isEqualTo(header);
      assertThat(buf.writerIndex()).isEqualTo(writerIndex);
      assertThat(buf.readerIndex()).isEqualTo(writerIndex - body.length);
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(body);
    } finally {
      buf.release();
    }
  }

  /**
   * Fields out of order, repeated (last one wins), explicit defaults, unknown field numbers of
   * every wire type, known numbers with another wire type (protobuf treats them as unknown): the
   * codec reads exactly what protobuf reads.
   */
  @Property
  void codecReadsAnyFieldLayoutAsProtobufDoes(
      @ForAll("fieldLayouts") List<HeaderField> fields, @ForAll("bodies") byte[] body) {
    byte[] header = HeaderField.header(fields);
    M expected = ProtobufFrames.parseHeaderOrNull(header, codec().defaultInstance());
    assertThat(expected).as("protobuf accepts %s", fields).isNotNull();
    ByteBuf buf = Unpooled.wrappedBuffer(ProtobufFrames.innerOfRawHeader(header, body));
    try {
      assertThat(codec().decode(buf)).isEqualTo(codec().asDecoded(expected));
      assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(body);
    } finally {
      buf.release();
    }
  }

  @Property(tries = 3000)
  void randomFramesDecodeOrFailWithMalformedFrameOnly(@ForAll byte[] frame) {
    checkDecodeOrMalformed(frame);
  }

  @Property(tries = 3000)
  void randomHeadersDecodeLikeProtobufOrFailWithMalformedFrameOnly(
      @ForAll @net.jqwik.api.constraints.Size(max = 30) byte[] header,
      @ForAll @net.jqwik.api.constraints.Size(max = 4) byte[] body) {
    checkDecodeOrMalformed(ProtobufFrames.innerOfRawHeader(header, body));
    M expected = ProtobufFrames.parseHeaderOrNull(header, codec().defaultInstance());
    ByteBuf buf = Unpooled.wrappedBuffer(ProtobufFrames.innerOfRawHeader(header, body));
    try {
      M decoded;
      try {
        decoded = codec().decode(buf);
      } catch (MalformedFrameException e) {
        // The codec may refuse what protobuf accepts only for groups (wire types 3 and 4).
        if (expected == null) {
          return;
        }
        assertThat(hasGroup(header)).as("codec refused a header protobuf accepts").isTrue();
        return;
      } catch (IllegalArgumentException e) {
        // Invalid UTF-8 in a string field: the codec keeps bytes; protobuf refuses the header.
        assertThat(expected).isNull();
        return;
      }
      if (expected != null) {
        assertThat(decoded).isEqualTo(codec().asDecoded(expected));
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(body);
      }
    } finally {
      buf.release();
    }
  }

  private void checkDecodeOrMalformed(byte[] frame) {
    ByteBuf buf = Unpooled.wrappedBuffer(frame);
    try {
      int writerIndex = buf.writerIndex();
      Throwable thrown = catchThrowable(() -> codec().decodeOnly(buf));
      if (thrown != null) {
        assertThat(thrown).isInstanceOf(MalformedFrameException.class);
      } else {
        assertThat(buf.readerIndex()).isBetween(1, writerIndex);
      }
      assertThat(buf.writerIndex()).isEqualTo(writerIndex);
    } finally {
      buf.release();
    }
  }

  /** Whether protobuf's own reader meets a start-group tag in {@code header}. */
  private static boolean hasGroup(byte[] header) {
    com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(header);
    try {
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if ((tag & 7) == 3) {
          return true;
        }
        in.skipField(tag);
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }

  // ---- arbitraries shared by the codec tests ----

  /** uint64 values, edges (0, 1, max long, -1 = 2^64-1) included. */
  static Arbitrary<Long> uint64s() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.longs().between(0, 300),
        Arbitraries.of(0L, 1L, 127L, 128L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
  }

  /** uint32 or enum values, edges included; negatives are large uint32s or negative enums. */
  static Arbitrary<Integer> int32s() {
    return Arbitraries.oneOf(
        Arbitraries.integers(),
        Arbitraries.integers().between(0, 20),
        Arbitraries.of(0, 1, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE, -1));
  }

  /** Valid UTF-8 text of at most 255 bytes: ASCII up to 255 chars, or any code points. */
  static Arbitrary<String> texts() {
    Arbitrary<Integer> codePoints =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 0xD7FF),
            Arbitraries.integers().between(0xE000, 0x10FFFF),
            Arbitraries.of(0x00E9, 0x4E2D, 0x1F600, 0x10FFFF, 0xFFFD));
    Arbitrary<String> unicode =
        codePoints
            .list()
            .ofMaxSize(63)
            .map(
                cps -> {
                  StringBuilder s = new StringBuilder();
                  cps.forEach(s::appendCodePoint);
                  return s.toString();
                });
    return Arbitraries.oneOf(
        Arbitraries.strings().ascii().ofMaxLength(255),
        Arbitraries.strings().alpha().ofLength(255),
        unicode,
        Arbitraries.of("", "echo", "é", "日本語のメッセージ", "😀"));
  }

  /** Empty (no trace) or a valid version 00 traceparent, flags included. */
  static Arbitrary<String> traceparents() {
    Arbitrary<String> hex32 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32);
    Arbitrary<String> hex16 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(16);
    Arbitrary<String> valid =
        net.jqwik.api.Combinators.combine(hex32, hex16, Arbitraries.of(0, 1, 0xff))
            .as((trace, span, flags) -> "00-" + trace + "-" + span + "-" + String.format("%02x", flags))
            .filter(io.drover.protocol.Traceparent::isWellFormed);
    return Arbitraries.oneOf(Arbitraries.just(""), valid);
  }

  static com.google.protobuf.ByteString utf8(String s) {
    return com.google.protobuf.ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Any field a peer might send for {@code prototype}'s message type. */
  static Arbitrary<HeaderField> fieldOf(Message prototype) {
    List<FieldDescriptor> known = prototype.getDescriptorForType().getFields();
    Set<Integer> knownNumbers =
        known.stream().map(FieldDescriptor::getNumber).collect(Collectors.toSet());
    List<Arbitrary<HeaderField>> choices = new ArrayList<>();
    for (FieldDescriptor field : known) {
      int number = field.getNumber();
      if (field.getName().equals("traceparent")) {
        choices.add(traceparents().map(s -> HeaderField.lengthDelimited(number, s.getBytes(StandardCharsets.UTF_8))));
      }
      if (field.getType() == FieldDescriptor.Type.STRING) {
        choices.add(
            texts().map(s -> HeaderField.lengthDelimited(number, s.getBytes(StandardCharsets.UTF_8))));
      } else {
        choices.add(uint64s().map(v -> HeaderField.varint(number, v)));
        choices.add(int32s().map(v -> HeaderField.varint(number, v)));
      }
    }
    Arbitrary<Integer> unknownNumbers =
        Arbitraries.oneOf(
                Arbitraries.integers().between(1, 20),
                Arbitraries.integers().between(1, (1 << 29) - 1),
                Arbitraries.of(15, 16, 2047, 2048, (1 << 29) - 1))
            .filter(n -> !knownNumbers.contains(n));
    Arbitrary<Integer> anyNumber =
        Arbitraries.oneOf(unknownNumbers, Arbitraries.of(new ArrayList<>(knownNumbers)));
    choices.add(
        anyNumber.flatMap(
            n ->
                Arbitraries.oneOf(
                    Arbitraries.longs().map(v -> HeaderField.fixed64(n, v)),
                    Arbitraries.integers().map(v -> HeaderField.fixed32(n, v)),
                    Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMaxSize(20)
                        .map(b -> HeaderField.lengthDelimited(n, b)))
                    .filter(f -> accepts(known, f))));
    choices.add(unknownNumbers.flatMap(n -> uint64s().map(v -> HeaderField.varint(n, v))));
    return Arbitraries.oneOf(choices);
  }

  /** False for a known field written with its own wire type but a value protobuf refuses. */
  private static boolean accepts(List<FieldDescriptor> known, HeaderField f) {
    for (FieldDescriptor field : known) {
      if (field.getNumber() == f.number()
          && field.getType() == FieldDescriptor.Type.STRING
          && f.wireType() == ProtoWire.LENGTH_DELIMITED) {
        return com.google.protobuf.ByteString.copyFrom(f.bytes()).isValidUtf8();
      }
    }
    return true;
  }
}
