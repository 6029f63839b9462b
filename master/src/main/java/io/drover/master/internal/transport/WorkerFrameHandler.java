package io.drover.master.internal.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import io.drover.master.internal.logging.RateLimitedLog;
import io.drover.protocol.frame.MalformedFrameException;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies each process that connects to the worker socket, expects its REGISTER frame first,
 * then hands RESULT frames to the dispatcher. A worker that breaks the protocol is disconnected
 * (its supervisor replaces it); nothing it sends can reach a client unchecked.
 *
 * <p>Every error here closes the connection, so each is logged once per connection, through a
 * {@link RateLimitedLog} shared by the connections of the worker socket: a local process that
 * connects again and again is refused without flooding the log.
 *
 * @param <S> the dispatcher's per-worker state
 */
public final class WorkerFrameHandler<S> extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WorkerFrameHandler.class);

  private final WorkerFrameListener<S> listener;
  private final PeerVerifier verifier;
  private final BatchFlusher flusher;
  private final RateLimitedLog connectionErrors;
  private final WorkerEventCodec header = new WorkerEventCodec();
  private OutboundBatch out;
  private S session;
  private boolean registered;

  /**
   * Creates the handler of one worker connection.
   *
   * @param connectionErrors the limiter, shared by the connections of the worker socket, of the
   *     errors logged when a connection is refused or closed
   */
  public WorkerFrameHandler(
      WorkerFrameListener<S> listener,
      PeerVerifier verifier,
      BatchFlusher flusher,
      RateLimitedLog connectionErrors) {
    this.listener = listener;
    this.verifier = verifier;
    this.flusher = flusher;
    this.connectionErrors = connectionErrors;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    long pid = -1;
    if (ch instanceof EpollDomainSocketChannel domain) {
      try {
        PeerCredentials creds = domain.peerCredentials();
        pid = creds.pid();
        String refusal = verifier.verify(creds.pid(), creds.uid());
        if (refusal != null) {
          if (connectionErrors.permit()) {
            log.warn("refused a worker-socket connection from pid {} uid {}: {}", creds.pid(), creds.uid(), refusal);
          }
          ch.close();
          return;
        }
      } catch (IOException e) {
        if (connectionErrors.permit()) {
          log.warn("refused a worker-socket connection: cannot read its peer credentials: {}", e.toString());
        }
        ch.close();
        return;
      }
    }
    out = new OutboundBatch(ch, flusher);
    session = listener.workerConnected(ch, out, pid);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    if (session == null) {
      frame.release();
      return;
    }
    try {
      header.decode(frame);
    } catch (MalformedFrameException e) {
      frame.release();
      protocolError(ctx, "malformed header: " + e.getMessage());
      return;
    }
    if (header.kind() == WorkerEventCodec.KIND_RESULT && registered) {
      listener.result(session, header, frame);
    } else if (header.kind() == WorkerEventCodec.KIND_HEARTBEAT && registered) {
      try {
        listener.heartbeat(session, frame);
      } finally {
        frame.release();
      }
    } else if (header.kind() == WorkerEventCodec.KIND_RESULT_REGION && registered) {
      String refusal;
      try {
        refusal = listener.resultRegion(session, frame);
      } finally {
        frame.release();
      }
      if (refusal != null) {
        protocolError(ctx, "result region refused: " + refusal);
      }
    } else if (header.kind() == WorkerEventCodec.KIND_DRAINING && registered) {
      frame.release();
      listener.draining(session);
    } else if (header.kind() == WorkerEventCodec.KIND_REGISTER && !registered) {
      register(ctx, frame);
    } else {
      int kind = header.kind();
      frame.release();
      protocolError(ctx, "unexpected frame kind " + kind + (registered ? "" : " before REGISTER"));
    }
  }

  private void register(ChannelHandlerContext ctx, ByteBuf frame) {
    Registration registration;
    try {
      registration =
          Registration.parseFrom(ByteBufUtil.getBytes(frame, frame.readerIndex(), frame.readableBytes(), false));
    } catch (InvalidProtocolBufferException e) {
      protocolError(ctx, "malformed Registration: " + e.getMessage());
      return;
    } finally {
      frame.release();
    }
    String refusal = listener.registered(session, registration);
    if (refusal != null) {
      protocolError(ctx, "registration refused: " + refusal);
      return;
    }
    registered = true;
  }

  private void protocolError(ChannelHandlerContext ctx, String what) {
    if (connectionErrors.permit()) {
      log.error("worker connection {}: {}; closing it", ctx.channel().remoteAddress(), what);
    }
    ctx.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (session != null) {
      listener.writabilityChanged(session, ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      listener.workerDisconnected(session);
    }
    if (out != null) {
      out.discard();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (log.isDebugEnabled()) {
        log.debug("worker connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
      }
      ctx.close();
    } else {
      protocolError(ctx, cause.toString());
    }
  }
}
