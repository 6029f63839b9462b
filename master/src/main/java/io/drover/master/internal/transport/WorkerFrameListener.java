package io.drover.master.internal.transport;

import io.drover.protocol.proto.Registration;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Receives what arrives on worker connections, on the connection's event loop. Implemented by
 * the dispatcher; {@code S} is its per-worker state.
 *
 * @param <S> the per-worker session type
 */
public interface WorkerFrameListener<S> {
  /** A verified worker process connected; returns the state kept for it. */
  S workerConnected(Channel channel, OutboundBatch out, long peerPid);

  /**
   * The worker's REGISTER frame.
   *
   * @return {@code null} to accept the worker, or why it is refused (the connection is closed)
   */
  String registered(S session, Registration registration);

  /**
   * A RESULT frame. The header is decoded and {@code frame}'s reader index is at the result; the
   * listener owns {@code frame} and must release it.
   */
  void result(S session, WorkerEventCodec header, ByteBuf frame);

  /** A HEARTBEAT frame; {@code body} (the Heartbeat message) is valid only during the call. */
  void heartbeat(S session, ByteBuf body);

  /**
   * The worker's result region ({@code body}: its path); null when the master maps it, else why
   * not (the connection is then closed).
   */
  default String resultRegion(S session, ByteBuf body) {
    return "the master offers no shared memory";
  }

  /** A DRAINING frame: the worker is shutting down by itself. */
  void draining(S session);

  /**
   * The worker's socket crossed a write water mark: while it is not writable the worker should be
   * given no new tasks (its socket is backed up).
   */
  void writabilityChanged(S session, boolean writable);

  /** The worker's connection closed. */
  void workerDisconnected(S session);
}
