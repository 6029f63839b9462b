package io.drover.bench.jmh;

import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Builds the frames the benchmarks feed to Drover's code. A "frame" here is what {@code
 * FrameDecoder} emits: the bytes after the outer length prefix, starting with the header length.
 */
final class Frames {
  /** The task type every benchmark submits. */
  static final byte[] ECHO = "echo".getBytes(StandardCharsets.UTF_8);

  private Frames() {}

  /** A body of {@code bytes} arbitrary bytes. */
  static byte[] body(int bytes) {
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  /** A whole client SUBMIT frame (outer prefix included) in a new buffer from {@code alloc}. */
  static ByteBuf submitWire(ByteBufAllocator alloc, long requestId, byte[] body) {
    ByteBuf out =
        alloc.directBuffer(
            RequestHeaderCodec.frameSize(RequestHeaderCodec.KIND_SUBMIT, requestId, ECHO, body.length));
    RequestHeaderCodec.writeFrame(out, RequestHeaderCodec.KIND_SUBMIT, requestId, ECHO, body);
    return out;
  }

  /** A client SUBMIT frame as {@code FrameDecoder} would emit it. */
  static ByteBuf submitFrame(ByteBufAllocator alloc, long requestId, byte[] body) {
    return stripPrefix(submitWire(alloc, requestId, body));
  }

  /** A worker RESULT frame as {@code FrameDecoder} would emit it. */
  static ByteBuf resultFrame(ByteBufAllocator alloc, long taskId, byte[] message, byte[] body) {
    ByteBuf out =
        alloc.directBuffer(
            WorkerEventCodec.frameSize(WorkerEventCodec.KIND_RESULT, taskId, 0, message, body.length));
    WorkerEventCodec.writeFramePrefix(
        out, WorkerEventCodec.KIND_RESULT, taskId, 0, message, body.length);
    out.writeBytes(body);
    return stripPrefix(out);
  }

  /** A master response frame as {@code FrameDecoder} would emit it. */
  static ByteBuf responseFrame(ByteBufAllocator alloc, long requestId, byte[] body) {
    ByteBuf out = alloc.directBuffer(ResponseHeaderCodec.frameSize(requestId, 0, 0, 1, body.length));
    ResponseHeaderCodec.writeFramePrefix(out, requestId, 0, null, 0, 0, 1, body.length);
    out.writeBytes(body);
    return stripPrefix(out);
  }

  /** Skips the outer varint32 length prefix at the reader index; returns {@code buf}. */
  static ByteBuf stripPrefix(ByteBuf buf) {
    while (buf.readByte() < 0) {
      // continuation bit set: the prefix goes on
    }
    return buf;
  }
}
