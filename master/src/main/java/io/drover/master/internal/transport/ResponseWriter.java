package io.drover.master.internal.transport;

import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.buffer.ByteBuf;

/** Writes ResponseHeader frames to a client's {@link OutboundBatch}. */
public final class ResponseWriter {
  /**
   * Most bytes a response takes besides its message and body: two length prefixes (5 each) and
   * the header's other fields (request_id 11, status 6, message tag and length 6, attempts 6).
   * Reserving this bound spares computing the exact size twice per result.
   */
  private static final int MAX_PREFIX_BYTES = 40;

  private ResponseWriter() {}

  /**
   * Appends a response whose message is copied from {@code source} and whose body is {@code
   * body}'s readable bytes (copied when small, sliced when large; {@code body} is not released).
   */
  public static void result(
      OutboundBatch out,
      long requestId,
      int status,
      ByteBuf source,
      int messageIndex,
      int messageLength,
      int attempts,
      ByteBuf body) {
    out.frameSent();
    int bodyBytes = body.readableBytes();
    int copied = bodyBytes < OutboundBatch.COPY_THRESHOLD ? bodyBytes : 0;
    ByteBuf b = out.reserve(MAX_PREFIX_BYTES + messageLength + copied);
    ResponseHeaderCodec.writeFramePrefix(
        b, requestId, status, source, messageIndex, messageLength, attempts, bodyBytes);
    out.appendBody(body);
  }

  /**
   * Appends a frame streaming the result of subtask {@code subtaskIndex} of job {@code requestId}
   * ({@code ResponseHeader.partial}); {@code body} (may be null) is read, not released.
   */
  public static void partial(
      OutboundBatch out,
      long requestId,
      int subtaskIndex,
      int status,
      byte[] message,
      int attempts,
      ByteBuf body) {
    out.frameSent();
    int bodyBytes = body == null ? 0 : body.readableBytes();
    int copied = bodyBytes < OutboundBatch.COPY_THRESHOLD ? bodyBytes : 0;
    ByteBuf b = out.reserve(MAX_PREFIX_BYTES + 12 + message.length + copied);
    ByteBuf source = io.netty.buffer.Unpooled.wrappedBuffer(message);
    ResponseHeaderCodec.writeFramePrefix(
        b, requestId, status, source, 0, message.length, attempts, subtaskIndex, bodyBytes);
    if (body != null) {
      out.appendBody(body);
    }
  }

  /**
   * Appends a response with {@code message} whose body is {@code body}, which this method releases.
   */
  public static void response(
      OutboundBatch out, long requestId, int status, String message, int attempts, ByteBuf body) {
    out.frameSent();
    try {
      byte[] utf8 = ProtoWire.utf8(message);
      int bodyBytes = body.readableBytes();
      int copied = bodyBytes < OutboundBatch.COPY_THRESHOLD ? bodyBytes : 0;
      ByteBuf b =
          out.reserve(ResponseHeaderCodec.frameSize(requestId, status, utf8.length, attempts, 0) + copied);
      ResponseHeaderCodec.writeFramePrefix(b, requestId, status, utf8, attempts, bodyBytes);
      out.appendBody(body);
    } finally {
      body.release();
    }
  }

  /** Appends a response with an empty body and {@code message}. */
  public static void error(OutboundBatch out, long requestId, int status, String message, int attempts) {
    out.frameSent();
    byte[] utf8 = ProtoWire.utf8(message);
    ByteBuf b = out.reserve(ResponseHeaderCodec.frameSize(requestId, status, utf8.length, attempts, 0));
    ResponseHeaderCodec.writeFrame(b, requestId, status, utf8, attempts);
  }
}
