package io.drover.master.internal.transport;

import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The whole pipeline (after TLS, if on) of a connection accepted over a connection limit: it
 * answers with one connection-level OVERLOADED ({@code request_id = 0}) that names the limit, and
 * closes. Accepting and answering, rather than not accepting, lets a client tell a full master
 * from a dead one. With TLS the answer waits for the handshake, whose timeout bounds the wait.
 */
final class ConnectionRefusal extends ChannelInboundHandlerAdapter {
  private final String message;

  ConnectionRefusal(String message) {
    this.message = message;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    byte[] text = ProtoWire.utf8(message);
    ByteBuf reply = ctx.alloc().buffer(16 + text.length);
    ResponseHeaderCodec.writeFrame(reply, 0, Status.OVERLOADED_VALUE, text, 0);
    ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // Whatever the client sent before it read the answer is dropped.
    io.netty.util.ReferenceCountUtil.release(msg);
  }
}
