package io.drover.bench.loadgen;

import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;

/**
 * Decodes replies that are the request frames echoed back unchanged (the bare relay, {@code
 * --expect-echo-frames}): the request id comes from the {@code RequestHeader} and every reply is
 * OK.
 */
final class EchoedRequestDecoder implements ReplyDecoder {
  private final RequestHeaderCodec codec = new RequestHeaderCodec();

  @Override
  public void decode(ByteBuf frame) {
    codec.decode(frame);
  }

  @Override
  public long requestId() {
    return codec.requestId();
  }

  @Override
  public int status() {
    return 0;
  }
}
