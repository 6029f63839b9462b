package io.drover.bench.loadgen;

import io.netty.buffer.ByteBuf;

/** Reads the request id and status of a reply frame into reused fields. */
interface ReplyDecoder {
  /**
   * Decodes {@code frame} (without its length prefix).
   *
   * @throws io.drover.protocol.frame.MalformedFrameException when the frame has no valid header
   */
  void decode(ByteBuf frame);

  /** The request id of the last decoded frame. */
  long requestId();

  /** The status number of the last decoded frame ({@code drover.v1.Status}). */
  int status();

  /** The decoder for a server's replies. */
  static ReplyDecoder forEchoFrames(boolean echoFrames) {
    return echoFrames ? new EchoedRequestDecoder() : new ResponseDecoder();
  }
}
