package io.drover.bench.loadgen;

import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes SUBMIT frames whose task type and payload never change; only the request id varies, so
 * the payload is built once and each frame is a few varints and two array copies.
 */
final class RequestEncoder {
  private final byte[] taskType;
  private final byte[] payload;

  RequestEncoder(String taskType, int payloadBytes) {
    this.taskType = taskType.getBytes(StandardCharsets.UTF_8);
    this.payload = new byte[payloadBytes];
    Arrays.fill(payload, (byte) 'x');
  }

  /** Appends the frame of request {@code requestId} to {@code out}. */
  void write(ByteBuf out, long requestId) {
    RequestHeaderCodec.writeFrame(out, RequestHeaderCodec.KIND_SUBMIT, requestId, taskType, payload);
  }

  /** Bytes of one frame with a request id of this size class (used to size batch buffers). */
  int frameSize(long requestId) {
    return RequestHeaderCodec.frameSize(
        RequestHeaderCodec.KIND_SUBMIT, requestId, taskType, payload.length);
  }
}
