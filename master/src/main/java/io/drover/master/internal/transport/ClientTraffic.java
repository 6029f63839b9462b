package io.drover.master.internal.transport;

import io.drover.protocol.wire.ProtoWire;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Frames and bytes to and from the client connections of one event loop, for the metrics. Plain
 * fields written and read on that loop only (no atomics per frame): one counter object per loop,
 * summed at scrape time through each loop's {@link #totals()}. The master serves every connection
 * on one loop, so it has one.
 */
public final class ClientTraffic {
  private final EventLoop loop;
  private long framesReceived;
  private long bytesReceived;
  private long framesSent;
  private long bytesSent;

  /** Counters for the client connections of {@code loop}. */
  public ClientTraffic(EventLoop loop) {
    this.loop = loop;
  }

  /** A frame of {@code frameBytes} (its length prefix not included) came in. */
  void received(int frameBytes) {
    framesReceived++;
    bytesReceived += frameBytes + ProtoWire.varint32Size(frameBytes);
  }

  /** A frame was written (its bytes are counted by {@link #written}). */
  void frameSent() {
    framesSent++;
  }

  /** {@code bytes} were written to a connection (one buffer, holding one or more frames). */
  void written(int bytes) {
    bytesSent += bytes;
  }

  /** The counts copied on the loop; the future completes there, or fails once it has stopped. */
  public CompletableFuture<Totals> totals() {
    try {
      return CompletableFuture.supplyAsync(
          () -> new Totals(framesReceived, bytesReceived, framesSent, bytesSent), loop);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the client event loop has stopped", e));
    }
  }

  /**
   * Client traffic at one moment. Immutable.
   *
   * @param framesReceived frames read from client connections, of every kind, malformed ones
   *     included (not those too large, which close the connection)
   * @param bytesReceived their bytes, length prefixes included
   * @param framesSent frames written to client connections
   * @param bytesSent their bytes, length prefixes included
   */
  public record Totals(long framesReceived, long bytesReceived, long framesSent, long bytesSent) {}
}
