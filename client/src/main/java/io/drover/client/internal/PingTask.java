package io.drover.client.internal;

import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;

/** A liveness check: a PING request whose OK answer completes the future with {@code null}. */
public final class PingTask extends PendingTask<Void> {
  /** Creates a ping that times out after {@code timeoutNanos} (0 for never). */
  public PingTask(ClientConnection owner, long timeoutNanos) {
    super(owner, RequestHeaderCodec.KIND_PING, ProtoWire.EMPTY, null, null, timeoutNanos);
  }

  @Override
  void succeed(ByteBuf body) {
    complete(null);
  }
}
