package io.drover.master.internal.transport;

import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Receives what arrives on client connections, on the connection's event loop. Implemented by the
 * dispatcher; {@code S} is its per-connection state.
 *
 * @param <S> the per-connection session type
 */
public interface ClientFrameListener<S> {
  /** A client connected; returns the state kept for it. */
  S clientConnected(Channel channel, OutboundBatch out);

  /**
   * A SUBMIT frame. The header is decoded and {@code frame}'s reader index is at the payload; the
   * listener owns {@code frame} and must release it.
   */
  void submit(S session, RequestHeaderCodec header, ByteBuf frame);

  /**
   * A JOB frame: the header is decoded and {@code frame}'s reader index is at the JobRequest body;
   * the listener owns {@code frame} and must release it.
   */
  void job(S session, RequestHeaderCodec header, ByteBuf frame);

  /** A CANCEL frame for the task this connection submitted as {@code requestId}. */
  void cancel(S session, long requestId);

  /** A PING frame. */
  void ping(S session, long requestId);

  /** The connection's writability changed; the listener decides whether to keep reading. */
  void writabilityChanged(S session);

  /**
   * The transport stopped reading the connection for the rest of a loop turn (it sent bad frames:
   * see {@link ClientFrameHandler}) and would read it again; the listener turns reading back on
   * unless it keeps the connection paused for reasons of its own. By default it decides as it
   * does after a writability change, which weighs every such reason.
   */
  default void mayResumeReading(S session) {
    writabilityChanged(session);
  }

  /**
   * Whether the listener holds a task or job of the connection, or has sent it a GOAWAY already:
   * an idle connection is one that it does not hold. By default, always (never idle).
   */
  default boolean holdsWork(S session) {
    return true;
  }

  /**
   * The connection was idle too long: send it a GOAWAY that says {@code reason} and close it once
   * it holds nothing, as a shutdown's GOAWAY does. By default nothing.
   */
  default void goAway(S session, String reason) {}

  /**
   * Whether the connection must authenticate (an AUTH frame, or a client certificate that names a
   * tenant) before any other frame: asked once, when it connects.
   */
  default boolean mustAuthenticate(S session) {
    return false;
  }

  /**
   * An AUTH frame: {@code frame}'s reader index is at the token; the transport releases the frame
   * and answers as the returned value says.
   */
  default AuthAnswer authenticate(S session, ByteBuf frame) {
    return AuthAnswer.accepted("");
  }

  /**
   * The connection's TLS handshake completed with a client certificate whose subject is {@code
   * subject}: whether that made it a tenant's (it need not send an AUTH then).
   */
  default boolean authenticateCertificate(S session, javax.security.auth.x500.X500Principal subject) {
    return false;
  }

  /** A frame other than AUTH arrived before the connection authenticated; it is answered UNAUTHENTICATED and closed. */
  default void unauthenticatedFrame(S session) {}

  /** The connection closed; results still due to it are dropped. */
  void clientDisconnected(S session);
}
