package io.drover.master.internal.transport;

import io.drover.protocol.frame.FrameDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits between a client connection's {@link FrameDecoder} and its {@link ClientFrameHandler} and
 * tells {@link ClientConnections} what the connection holds after each read: whether an
 * incomplete frame waits in the decoder (since when, and how much memory it takes) and that
 * something was received. It handles only the end of a read, never a frame (Netty skips it for
 * {@code channelRead}), and reads no clock: a whole frame costs it nothing, a read a few field
 * updates.
 *
 * <p>Also the connection's entry in {@link ClientConnections}: the links of its list of
 * connections holding incomplete frames, oldest first, live here so that the list allocates
 * nothing.
 */
final class ConnectionWatch extends ChannelInboundHandlerAdapter {
  final Channel channel;
  /** The remote address the connection counts against, or the channel's remote address. */
  final Object address;
  private final ClientConnections connections;
  private final FrameDecoder decoder;
  private final ClientFrameHandler<?> frames;

  /** Something was read since the last idle check. */
  boolean received;
  /** Sweep clock when the connection last received something or held work. */
  long activeNanos;
  /** Sweep clock when the incomplete frame held now began; valid while {@link #partial}. */
  long partialSinceNanos;
  /** Sweep clock when the incomplete frame held now began, for {@link ClientConnections#FRAME_CAP}. */
  long partialFirstNanos;
  /** The sweep that ran last when this connection last read part of its incomplete frame. */
  long lastReadSweep = -1;
  /** Whether the decoder holds an incomplete frame (the connection is in the partial list). */
  boolean partial;
  /** The decoder's frame count when the incomplete frame held now began. */
  private long partialFrame = -1;
  /** Memory of the incomplete frame, as counted in {@link ClientConnections}. */
  int partialBytes;
  /** Links of the partial list, oldest first. */
  ConnectionWatch older;
  ConnectionWatch newer;
  /** Closed, by a limit or otherwise: nothing more to note or check. */
  boolean ended;
  /** Sent its idle GOAWAY: the dispatcher closes it once it holds nothing. */
  boolean goneAway;

  ConnectionWatch(
      Channel channel, Object address, ClientConnections connections, FrameDecoder decoder, ClientFrameHandler<?> frames) {
    this.channel = channel;
    this.address = address;
    this.connections = connections;
    this.decoder = decoder;
    this.frames = frames;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    received = true;
    int held = decoder.partialFrameCapacity();
    if (held != 0 || partial) {
      long frame = decoder.framesDecoded();
      // A frame completed since the last look: the incomplete one held now is another, newer one.
      connections.partialFrame(this, held, frame != partialFrame);
      partialFrame = frame;
    }
    ctx.fireChannelReadComplete();
  }

  /** Whether the dispatcher holds work of this connection. */
  boolean holdsWork() {
    return frames.holdsWork();
  }

  /** Sends a GOAWAY for {@code reason}. */
  void goAway(String reason) {
    frames.goAway(reason);
  }

  /** Sends a connection-level error and closes. */
  void closeWithError(int status, String message) {
    frames.closeWithError(channel, status, message);
  }
}
