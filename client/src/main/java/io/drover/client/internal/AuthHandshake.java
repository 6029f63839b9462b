package io.drover.client.internal;

import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;

/**
 * Sends the AUTH frame first on a new connection and takes the master's answer to it: OK (the
 * tenant's name) completes {@link #result} and this handler leaves the pipeline; UNAUTHENTICATED
 * fails it and goes on to the connection, which fails its tasks and closes without reconnecting.
 * Frames before the answer (a GOAWAY sent on connect) pass through.
 */
public final class AuthHandshake extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<Promise<String>> RESULT = AttributeKey.valueOf(AuthHandshake.class, "result");

  private final byte[] token;
  private final ResponseHeaderCodec header = new ResponseHeaderCodec();
  private Promise<String> result;

  /** A handler that authenticates with {@code token} (UTF-8 on the wire). */
  public AuthHandshake(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** The outcome of {@code channel}'s AUTH: the tenant's name, or the master's refusal. */
  public static Promise<String> result(Channel channel) {
    return channel.attr(RESULT).get();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    result = ctx.executor().newPromise();
    ctx.channel().attr(RESULT).set(result);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ByteBuf frame = ctx.alloc().buffer(RequestHeaderCodec.frameSize(RequestHeaderCodec.KIND_AUTH, 0, new byte[0], token.length));
    RequestHeaderCodec.writeFrame(frame, RequestHeaderCodec.KIND_AUTH, 0, new byte[0], token);
    ctx.writeAndFlush(frame, ctx.voidPromise());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    header.decode(frame);
    frame.readerIndex(0);
    if (header.requestId() != 0 || header.status() == Status.GOING_AWAY_VALUE) {
      ctx.fireChannelRead(frame);
      return;
    }
    ctx.pipeline().remove(this);
    if (header.status() == Status.OK_VALUE) {
      result.trySuccess(header.message(frame));
      frame.release();
      return;
    }
    result.tryFailure(new io.drover.client.DroverAuthenticationException(
        "the Drover master at " + ctx.channel().remoteAddress() + " refused the client's token: " + header.message(frame)));
    ctx.fireChannelRead(frame); // the connection fails its tasks with it
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    result.tryFailure(new io.drover.client.DroverConnectionException(
        "the connection to the Drover master closed before it answered the client's token"));
    ctx.fireChannelInactive();
  }
}
