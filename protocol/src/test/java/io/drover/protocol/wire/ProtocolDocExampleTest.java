package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.RequestHeader;
import io.drover.protocol.proto.ResponseHeader;
import io.drover.protocol.proto.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The byte-level example in {@code docs/PROTOCOL.md}, produced by the real codecs and by stock
 * protobuf, and found verbatim in the document so the two cannot drift apart.
 */
class ProtocolDocExampleTest {
  static final String SUBMIT_HEX = "0b 08 10 01 1a 04 65 63 68 6f 68 69";
  static final String RESPONSE_HEX = "07 04 08 01 20 01 68 69";
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  /** The start of the traced SUBMIT, as the document shows it. */
  static final String TRACED_SUBMIT_START_HEX = "44 41 10 01 1a 04 65 63 68 6f 42 37 30 30 2d 34 62 66 39";

  /** The GOAWAY of a master being upgraded (PROTOCOL.md §6a). */
  static final String GOAWAY_HEX =
      "21 20 10 0e 1a 1c 74 68 65 20 6d 61 73 74 65 72 20 69 73 20 62 65 69 6e 67 20 75 70 67 72 61 64 65 64";

  /** The AUTH of token "my-token" as request 1, and the master's answers (PROTOCOL.md §6b). */
  static final String AUTH_HEX = "0d 04 08 04 10 01 6d 79 2d 74 6f 6b 65 6e";

  static final String AUTH_OK_HEX = "0e 0d 08 01 1a 09 61 6e 61 6c 79 74 69 63 73";
  static final String UNAUTHENTICATED_HEX = "12 11 10 0f 1a 0d 75 6e 6b 6e 6f 77 6e 20 74 6f 6b 65 6e";

  private static final Path DOC = Path.of("..", "docs", "PROTOCOL.md");

  private static String spaced(ByteBuf buf) {
    return spaced(ByteBufUtil.getBytes(buf));
  }

  private static String spaced(byte[] bytes) {
    return java.util.HexFormat.ofDelimiter(" ").formatHex(bytes);
  }

  @Test
  void submitExampleIsWhatTheCodecWrites() {
    ByteBuf out = Unpooled.buffer();
    try {
      RequestHeaderCodec.writeFrame(
          out, RequestHeaderCodec.KIND_SUBMIT, 1, ProtoWire.utf8("echo"), ProtoWire.utf8("hi"));
      assertThat(spaced(out)).isEqualTo(SUBMIT_HEX);
    } finally {
      out.release();
    }
  }

  @Test
  void tracedSubmitExampleIsWhatTheCodecAndStockProtobufWrite() {
    byte[] traceparent = TRACEPARENT.getBytes(StandardCharsets.US_ASCII);
    byte[] payload = ProtoWire.utf8("hi");
    ByteBuf out = Unpooled.buffer();
    try {
      RequestHeaderCodec.writeFramePrefix(
          out, RequestHeaderCodec.KIND_SUBMIT, 1, ProtoWire.utf8("echo"), false, ProtoWire.EMPTY,
          RequestHeaderCodec.PRIORITY_NORMAL, 0, traceparent, payload.length);
      out.writeBytes(payload);
      byte[] protobuf =
          ProtobufFrames.frame(
              RequestHeader.newBuilder().setRequestId(1).setTaskType("echo").setTraceparent(TRACEPARENT).build(),
              payload);
      assertThat(spaced(out)).isEqualTo(spaced(protobuf));
      assertThat(out.readableBytes()).isEqualTo(69);
      assertThat(spaced(out)).startsWith(TRACED_SUBMIT_START_HEX).endsWith("68 69");
    } finally {
      out.release();
    }
  }

  @Test
  void responseExampleIsWhatTheCodecWrites() {
    ByteBuf result = Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8);
    ByteBuf out = Unpooled.buffer();
    try {
      ResponseHeaderCodec.writeFramePrefix(
          out, 1, Status.OK_VALUE, result, 0, 0, 1, result.readableBytes());
      out.writeBytes(result);
      assertThat(spaced(out)).isEqualTo(RESPONSE_HEX);
    } finally {
      out.release();
      result.release();
    }
  }

  @Test
  void examplesAreWhatStockProtobufWrites() {
    byte[] submit =
        ProtobufFrames.frame(
            RequestHeader.newBuilder()
                .setKind(RequestHeader.Kind.SUBMIT)
                .setRequestId(1)
                .setTaskType("echo")
                .build(),
            "hi".getBytes(StandardCharsets.UTF_8));
    byte[] response =
        ProtobufFrames.frame(
            ResponseHeader.newBuilder().setRequestId(1).setStatus(Status.OK).setAttempts(1).build(),
            "hi".getBytes(StandardCharsets.UTF_8));
    assertThat(spaced(submit)).isEqualTo(SUBMIT_HEX);
    assertThat(spaced(response)).isEqualTo(RESPONSE_HEX);
  }

  @Test
  void goAwayExampleIsWhatTheCodecAndStockProtobufWrite() {
    String reason = "the master is being upgraded";
    ByteBuf out = Unpooled.buffer();
    try {
      ResponseHeaderCodec.writeFrame(out, 0, Status.GOING_AWAY_VALUE, ProtoWire.utf8(reason), 0);
      byte[] protobuf =
          ProtobufFrames.frame(
              ResponseHeader.newBuilder().setStatus(Status.GOING_AWAY).setMessage(reason).build(), new byte[0]);
      assertThat(spaced(out)).isEqualTo(GOAWAY_HEX).isEqualTo(spaced(protobuf));
    } finally {
      out.release();
    }
  }

  @Test
  void authExamplesAreWhatTheCodecsAndStockProtobufWrite() {
    ByteBuf auth = Unpooled.buffer();
    ByteBuf ok = Unpooled.buffer();
    ByteBuf refused = Unpooled.buffer();
    try {
      RequestHeaderCodec.writeFrame(auth, RequestHeaderCodec.KIND_AUTH, 1, ProtoWire.EMPTY, ProtoWire.utf8("my-token"));
      ResponseHeaderCodec.writeFrame(ok, 1, Status.OK_VALUE, ProtoWire.utf8("analytics"), 0);
      ResponseHeaderCodec.writeFrame(refused, 0, Status.UNAUTHENTICATED_VALUE, ProtoWire.utf8("unknown token"), 0);
      assertThat(spaced(auth))
          .isEqualTo(AUTH_HEX)
          .isEqualTo(
              spaced(
                  ProtobufFrames.frame(
                      io.drover.protocol.proto.RequestHeader.newBuilder()
                          .setKind(io.drover.protocol.proto.RequestHeader.Kind.AUTH)
                          .setRequestId(1)
                          .build(),
                      ProtoWire.utf8("my-token"))));
      assertThat(spaced(ok))
          .isEqualTo(AUTH_OK_HEX)
          .isEqualTo(spaced(ProtobufFrames.frame(ResponseHeader.newBuilder().setRequestId(1).setMessage("analytics").build(), new byte[0])));
      assertThat(spaced(refused))
          .isEqualTo(UNAUTHENTICATED_HEX)
          .isEqualTo(
              spaced(
                  ProtobufFrames.frame(
                      ResponseHeader.newBuilder().setStatus(Status.UNAUTHENTICATED).setMessage("unknown token").build(), new byte[0])));
    } finally {
      auth.release();
      ok.release();
      refused.release();
    }
  }

  @Test
  void documentShowsExactlyTheseBytes() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    assertThat(doc).contains(AUTH_HEX).contains(AUTH_OK_HEX).contains(UNAUTHENTICATED_HEX);
    assertThat(doc).contains(GOAWAY_HEX).contains(SUBMIT_HEX).contains(RESPONSE_HEX).contains(TRACED_SUBMIT_START_HEX).contains(TRACEPARENT);
  }
}
