package io.drover.master.internal.transport;

import io.drover.master.internal.logging.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind a TLS connection's {@code SslHandler} until the handshake ends. A failed handshake
 * (a plaintext client, a client certificate from another CA, none where one is required) is
 * logged in one line through the port's rate limit, and the connection closed; the exception
 * that follows it is not logged again as an unexpected error. After a good handshake the watch
 * leaves the pipeline, so it costs the connection's frames nothing.
 */
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeWatch.class);

  private final RateLimitedLog errors;
  /** Who the peer is, for the log: {@code client} or {@code admin client}. */
  private final String role;
  /** Told when the handshake timed out, on the connection's loop. */
  private final Runnable timedOut;
  /** The timeout and its setting, for the log. */
  private final String timeout;
  private boolean failed;

  TlsHandshakeWatch(RateLimitedLog errors, String role, Runnable timedOut, String timeout) {
    this.errors = errors;
    this.role = role;
    this.timedOut = timedOut;
    this.timeout = timeout;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        ctx.pipeline().remove(this);
      } else {
        fail(ctx, done.cause());
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failed || tlsFailure(cause) != null) {
      fail(ctx, cause);
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (!failed) {
      failed = true;
      boolean late = tlsFailure(cause) instanceof SslHandshakeTimeoutException;
      if (late) {
        timedOut.run();
      }
      if (errors.permit()) {
        log.warn(
            "{} {}: {}; closing the connection",
            role,
            ctx.channel().remoteAddress(),
            late ? "TLS handshake not done within " + timeout : why(cause));
      }
    }
    ctx.close();
  }

  /** The failure in the words an operator looks for. */
  static String why(Throwable cause) {
    Throwable tls = tlsFailure(cause);
    if (tls instanceof NotSslRecordException) {
      return "not a TLS connection (a client without TLS on the TLS port?)";
    }
    return "TLS handshake failed: " + (tls != null ? tls.getMessage() : String.valueOf(cause));
  }

  /** The TLS exception in {@code cause}'s chain, or null. */
  static Throwable tlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException || t instanceof SSLException) {
        return t;
      }
    }
    return null;
  }
}
