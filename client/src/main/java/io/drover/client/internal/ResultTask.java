package io.drover.client.internal;

import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;

/** A submitted task whose result is copied out of the response into a {@code byte[]}. */
public final class ResultTask extends PendingTask<byte[]> {
  private static final byte[] EMPTY = new byte[0];

  /** Creates a task with a payload given as an array (copied when encoded; do not change it). */
  public ResultTask(
      ClientConnection owner, byte[] taskType, byte[] payload, long timeoutNanos) {
    super(owner, RequestHeaderCodec.KIND_SUBMIT, taskType, payload, null, timeoutNanos);
  }

  /**
   * Creates a task whose payload is {@code payload}'s remaining bytes (copied when encoded; do not
   * change them). The task reads it, moving its position: pass a view the caller does not use.
   */
  public ResultTask(
      ClientConnection owner, byte[] taskType, ByteBuffer payload, long timeoutNanos) {
    super(owner, RequestHeaderCodec.KIND_SUBMIT, taskType, null, payload, timeoutNanos);
  }

  @Override
  void succeed(ByteBuf body) {
    complete(body.isReadable() ? ByteBufUtil.getBytes(body) : EMPTY);
  }
}
