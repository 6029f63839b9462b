package io.drover.master.transport;

import io.drover.protocol.frame.FrameTooLargeException;
import io.drover.protocol.frame.MalformedFrameException;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the header of each client frame and hands the frame to the dispatcher. Protocol errors
 * are answered here: a bad header gets {@code MALFORMED_FRAME} and the connection stays open
 * (framing is intact); a frame too large or a broken length prefix gets {@code FRAME_TOO_LARGE}
 * or {@code MALFORMED_FRAME} with request id 0 and the connection is closed, since the stream
 * cannot be resynchronised.
 *
 * @param <S> the dispatcher's per-connection state
 */
public final class ClientFrameHandler<S> extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientFrameHandler.class);

  private final ClientFrameListener<S> listener;
  private final BatchFlusher flusher;
  private final RequestHeaderCodec header = new RequestHeaderCodec();
  private OutboundBatch out;
  private S session;

  /** Creates the handler of one client connection. */
  public ClientFrameHandler(ClientFrameListener<S> listener, BatchFlusher flusher) {
    this.listener = listener;
    this.flusher = flusher;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    out = new OutboundBatch(ctx.channel(), flusher);
    session = listener.clientConnected(ctx.channel(), out);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      header.decode(frame);
    } catch (MalformedFrameException e) {
      frame.release();
      log.warn("client {}: malformed request header: {}", ctx.channel().remoteAddress(), e.getMessage());
      ResponseWriter.error(out, 0, Status.MALFORMED_FRAME_VALUE, "malformed request header: " + e.getMessage(), 0);
      return;
    }
    switch (header.kind()) {
      case RequestHeaderCodec.KIND_SUBMIT -> listener.submit(session, header, frame);
      case RequestHeaderCodec.KIND_JOB -> listener.job(session, header, frame);
      case RequestHeaderCodec.KIND_CANCEL -> {
        frame.release();
        listener.cancel(session, header.requestId());
      }
      case RequestHeaderCodec.KIND_PING -> {
        frame.release();
        listener.ping(session, header.requestId());
      }
      default -> {
        frame.release();
        log.warn("client {}: unknown request kind {}", ctx.channel().remoteAddress(), header.kind());
        ResponseWriter.error(
            out,
            header.requestId(),
            Status.MALFORMED_FRAME_VALUE,
            "unknown request kind " + header.kind(),
            0);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      listener.clientDisconnected(session);
    }
    if (out != null) {
      out.discard();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // A client that does not read its results stops being read from, so it cannot make the
    // master buffer without bound.
    if (session != null) {
      listener.writabilityChanged(session);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Channel ch = ctx.channel();
    if (cause instanceof FrameTooLargeException || cause instanceof MalformedFrameException) {
      int status =
          cause instanceof FrameTooLargeException
              ? Status.FRAME_TOO_LARGE_VALUE
              : Status.MALFORMED_FRAME_VALUE;
      log.warn("client {}: {}; closing the connection", ch.remoteAddress(), cause.getMessage());
      out.flush();
      ByteBuf reply = ch.alloc().buffer(64 + cause.getMessage().length() * 3);
      byte[] message = io.drover.protocol.wire.ProtoWire.utf8(cause.getMessage());
      io.drover.protocol.wire.ResponseHeaderCodec.writeFrame(reply, 0, status, message, 0);
      ch.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    } else if (cause instanceof IOException) {
      log.debug("client {}: {}", ch.remoteAddress(), cause.toString());
      ch.close();
    } else {
      log.warn("client {}: unexpected error; closing the connection", ch.remoteAddress(), cause);
      ch.close();
    }
  }
}
