package io.drover.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.io.IOException;

/**
 * First in a plaintext connection's pipeline until the master's first answer: tells a master that
 * speaks TLS on that port from one that does not. Such a master either answers with a TLS record
 * (an alert) or closes the connection without a word when the first request is not a TLS
 * handshake; either way the tasks fail with a {@link ServerRequiresTlsException} that says so,
 * instead of an unreadable frame or a bare "connection closed". After the first answer the probe
 * leaves the pipeline.
 */
public final class PlaintextProbe extends ChannelDuplexHandler {
  /**
   * A TLS record begins with its content type (21 alert, 22 handshake), then version 3.1 to 3.4.
   * A Drover frame of 21 or 22 bytes with a 3-byte header begins the same way up to the third
   * byte, which is a header field's tag (8 or more), never 1 to 4.
   */
  private static final int ALERT = 21;
  private static final int HANDSHAKE = 22;

  private final String remote;
  /** Told when the master answers in plaintext: the port speaks it. */
  private final Runnable answeredInPlaintext;
  private boolean sent;
  private boolean reported;

  /** A probe of the connection to {@code remote} ({@code host:port}, for messages). */
  public PlaintextProbe(String remote) {
    this(remote, () -> {});
  }

  /**
   * A probe of the connection to {@code remote} that runs {@code answeredInPlaintext} when the
   * master's first answer is not TLS.
   */
  public PlaintextProbe(String remote, Runnable answeredInPlaintext) {
    this.remote = remote;
    this.answeredInPlaintext = answeredInPlaintext;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    sent = true;
    ctx.write(msg, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    int at = in.readerIndex();
    if (in.readableBytes() >= 3
        && (in.getByte(at) == ALERT || in.getByte(at) == HANDSHAKE)
        && in.getByte(at + 1) == 3
        && in.getByte(at + 2) >= 1
        && in.getByte(at + 2) <= 4) {
      in.release();
      ctx.pipeline().remove(this);
      ctx.fireExceptionCaught(
          new ServerRequiresTlsException("the master at " + remote + " answered with TLS: it requires TLS on this port", false));
      return;
    }
    ctx.pipeline().remove(this);
    answeredInPlaintext.run();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (sent && !reported && cause instanceof IOException && !(cause instanceof ServerRequiresTlsException)) {
      ctx.fireExceptionCaught(closedUnanswered());
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (sent && !reported) {
      ctx.fireExceptionCaught(closedUnanswered());
    }
    ctx.fireChannelInactive();
  }

  private ServerRequiresTlsException closedUnanswered() {
    reported = true;
    // Also what a master that stops or crashes before its first answer looks like: hence "may".
    return new ServerRequiresTlsException("the master may require TLS on this port", true);
  }

  /** The master at the other end speaks, or probably speaks, TLS to a client that does not. */
  public static final class ServerRequiresTlsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean closedUnanswered;

    ServerRequiresTlsException(String message, boolean closedUnanswered) {
      super(message + " (DroverClientBuilder.tls; drover submit/job/bench --tls)");
      this.closedUnanswered = closedUnanswered;
    }

    /** Whether the master closed the connection before any answer (rather than answering with TLS). */
    public boolean closedUnanswered() {
      return closedUnanswered;
    }
  }
}
