package io.drover.bench.loadgen;

import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.buffer.ByteBuf;

/** Decodes the master's replies: a {@code ResponseHeader} per frame. */
final class ResponseDecoder implements ReplyDecoder {
  private final ResponseHeaderCodec codec = new ResponseHeaderCodec();

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
    return codec.status();
  }
}
