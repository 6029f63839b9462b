package io.drover.master.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.config.ConnectionLimits;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.proto.Status;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ClientConnections}: the bookkeeping of the connection limits, the frame-read timeout,
 * the idle timeout and the partial-frame memory bound, on embedded channels and a mock clock.
 */
@ExtendWith(LeakDetectionExtension.class)
class ClientConnectionsTest {
  private static final Duration FRAME_READ = Duration.ofSeconds(2);
  private static final Duration IDLE = Duration.ofSeconds(60);
  private static final long AUTH_TIMEOUT_NANOS = Duration.ofSeconds(10).toNanos();

  private final EmbeddedChannel loop = new EmbeddedChannel();
  private final MockTicker clock = Ticker.newMockTicker();
  private final BatchFlusher flusher = new BatchFlusher(loop.eventLoop());
  private final ClientTraffic traffic = new ClientTraffic(loop.eventLoop());
  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private final List<String> goAways = new ArrayList<>();
  private boolean holdsWork;
  private ClientConnections connections;

  @AfterEach
  void finish() {
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
    loop.finishAndReleaseAll();
  }

  private ClientConnections connections(int max, int perAddress, long partialBytes) {
    connections =
        new ClientConnections(
            loop.eventLoop(), new ConnectionLimits(max, perAddress, IDLE, FRAME_READ, Duration.ofSeconds(10), Duration.ofSeconds(10), partialBytes), clock);
    return connections;
  }

  /** A listener whose connections hold work while {@link #holdsWork}, and that records GOAWAYs. */
  private final ClientFrameListener<Channel> listener =
      new ClientFrameListener<>() {
        @Override
        public Channel clientConnected(Channel channel, OutboundBatch out) {
          return channel;
        }

        @Override
        public void submit(Channel session, RequestHeaderCodec header, ByteBuf frame) {
          frame.release();
        }

        @Override
        public void job(Channel session, RequestHeaderCodec header, ByteBuf frame) {
          frame.release();
        }

        @Override
        public void cancel(Channel session, long requestId) {}

        @Override
        public void ping(Channel session, long requestId) {}

        @Override
        public void writabilityChanged(Channel session) {
          session.config().setAutoRead(true); // as the dispatcher does after a bad frame's pause
        }

        @Override
        public boolean holdsWork(Channel session) {
          return holdsWork;
        }

        @Override
        public void goAway(Channel session, String reason) {
          goAways.add(reason);
        }

        @Override
        public void clientDisconnected(Channel session) {}
      };

  /**
   * A connection from {@code host} set up as MasterServer sets one up: refused, or counted with
   * its decoder, watch and frame handler; null when refused.
   */
  private EmbeddedChannel connect(String host) {
    String[] refusal = new String[1];
    SocketAddress remote = new InetSocketAddress(host, 40000 + channels.size());
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel c) {
                refusal[0] = connections.refusal(c);
                if (refusal[0] != null) {
                  c.pipeline().addLast(new ConnectionRefusal(refusal[0]));
                  return;
                }
                FrameDecoder decoder = new FrameDecoder(1 << 20);
                ClientFrameHandler<Channel> frames = new ClientFrameHandler<>(listener, flusher, traffic, rateLimited(c), AUTH_TIMEOUT_NANOS);
                c.pipeline().addLast(decoder, connections.open(c, decoder, frames), frames);
              }
            }) {
          @Override
          protected SocketAddress remoteAddress0() {
            return remote;
          }
        };
    channels.add(ch);
    return refusal[0] == null ? ch : refusedWith(ch, refusal[0]);
  }

  private EmbeddedChannel refusedWith(EmbeddedChannel ch, String message) {
    assertConnectionError(ch, Status.OVERLOADED_VALUE, message);
    assertThat(ch.isOpen()).isFalse();
    return null;
  }

  private io.drover.master.internal.logging.RateLimitedLog rateLimited(Channel c) {
    return io.drover.master.internal.logging.RateLimitedLog.of(org.slf4j.LoggerFactory.getLogger(getClass()), "test", c.eventLoop());
  }

  private static void assertConnectionError(EmbeddedChannel ch, int status, String message) {
    ByteBuf written = ch.readOutbound();
    assertThat(written).as("an error frame").isNotNull();
    ByteBuf expected = Unpooled.buffer();
    ResponseHeaderCodec.writeFrame(expected, 0, status, ProtoWire.utf8(message), 0);
    try {
      assertThat(ByteBufUtil.getBytes(written)).isEqualTo(ByteBufUtil.getBytes(expected));
    } finally {
      written.release();
      expected.release();
    }
  }

  /** {@code bytes} of a frame that announces {@code length}, in a buffer of {@code capacity}. */
  private static ByteBuf frameStart(int length, int bytes, int capacity) {
    ByteBuf b = Unpooled.buffer(capacity);
    ProtoWire.writeVarint32(b, length);
    b.writeZero(bytes);
    return b;
  }

  private void advance(Duration d) {
    clock.advance(d.toNanos(), TimeUnit.NANOSECONDS);
    connections.sweep();
  }

  @Test
  void theConnectionOverTheLimitIsRefusedWithTheLimitAndLetInOnceOneCloses() {
    connections(2, 10, 1 << 30);
    EmbeddedChannel a = connect("127.0.0.1");
    connect("127.0.0.2");
    assertThat(connect("127.0.0.3")).isNull();
    assertThat(connections.statsNow().refusedMaxConnections()).isEqualTo(1);
    assertThat(connections.statsNow().open()).isEqualTo(2);

    a.close();
    assertThat(connect("127.0.0.3")).isNotNull();
    assertThat(connections.statsNow().open()).isEqualTo(2);
  }

  @Test
  void theRefusalNamesTheLimitAndItsOption() {
    connections(1, 1, 1 << 30);
    connect("127.0.0.1");
    String[] seen = new String[1];
    EmbeddedChannel probe = new EmbeddedChannel();
    channels.add(probe);
    seen[0] = connections.refusal(probe);
    assertThat(seen[0]).isEqualTo("too many connections: 1 open (--max-connections 1)");
  }

  @Test
  void eachAddressHasItsOwnLimitWhateverThePort() {
    connections(100, 2, 1 << 30);
    EmbeddedChannel first = connect("127.0.0.1");
    connect("127.0.0.1");
    EmbeddedChannel third = connect("127.0.0.1");
    assertThat(third).isNull();
    assertThat(connect("127.0.0.2")).as("another address").isNotNull();
    assertThat(connections.statsNow().refusedMaxPerAddress()).isEqualTo(1);

    first.close();
    assertThat(connect("127.0.0.1")).isNotNull();
  }

  @Test
  void theRefusalFromOneAddressSaysWhichAndTheOption() {
    connections(100, 1, 1 << 30);
    connect("127.0.0.5");
    EmbeddedChannel probe =
        new EmbeddedChannel() {
          @Override
          protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.5", 1);
          }
        };
    channels.add(probe);
    assertThat(connections.refusal(probe))
        .isEqualTo("too many connections from 127.0.0.5: 1 open (--max-connections-per-address 1)");
  }

  @Test
  void aConnectionClosedBeforeItWasCountedIsNotLeftCounted() {
    connections(1, 1, 1 << 30);
    EmbeddedChannel gone = new EmbeddedChannel();
    channels.add(gone);
    gone.close();
    connections.open(gone, new FrameDecoder(1 << 20), new ClientFrameHandler<>(listener, flusher, traffic, rateLimited(gone), AUTH_TIMEOUT_NANOS));
    assertThat(connections.statsNow().open()).isZero();
    assertThat(connect("127.0.0.1")).isNotNull();
  }

  @Test
  void aConnectionThatSendsHalfAFrameIsClosedAfterTheFrameReadTimeout() {
    connections(10, 10, 1 << 30);
    EmbeddedChannel ch = connect("127.0.0.1");
    ch.writeInbound(frameStart(100, 10, 64));
    assertThat(connections.statsNow().partialFrameBytes()).isEqualTo(64);

    advance(FRAME_READ.dividedBy(2));
    assertThat(ch.isOpen()).isTrue();
    advance(FRAME_READ);
    assertThat(ch.isOpen()).isFalse();
    assertConnectionError(ch, Status.MALFORMED_FRAME_VALUE, "no complete frame within 2 s of its first byte (--frame-read-timeout 2)");
    assertThat(connections.statsNow().closedFrameReadTimeout()).isEqualTo(1);
    assertThat(connections.statsNow().partialFrameBytes()).isZero();
    assertThat(connections.statsNow().open()).isZero();
  }

  @Test
  void aFrameThatKeepsArrivingGetsMoreTimeButNotForEver() {
    connections(10, 10, 1 << 30);
    EmbeddedChannel ch = connect("127.0.0.1");
    ch.writeInbound(frameStart(1000, 10, 64));
    // A byte every half timeout: the frame takes longer than its timeout, but it is arriving (as
    // a large frame does when a busy master reads 16 KiB of it per turn).
    int halves = 0;
    while (ch.isOpen() && halves < 40) {
      ch.writeInbound(Unpooled.buffer(1).writeZero(1));
      advance(FRAME_READ.dividedBy(2));
      halves++;
      if (halves <= 8) {
        assertThat(ch.isOpen()).as("after %d half timeouts", halves).isTrue();
      }
    }
    assertThat(ch.isOpen()).isFalse();
    assertThat(halves).as("closed at the cap of 4 timeouts, not before").isGreaterThanOrEqualTo(2 * ClientConnections.FRAME_CAP);
    assertConnectionError(
        ch, Status.MALFORMED_FRAME_VALUE, "no complete frame within 4 x 2 s of its first byte, though it kept arriving (--frame-read-timeout 2)");
    assertThat(connections.statsNow().closedFrameReadTimeout()).isEqualTo(1);
  }

  @Test
  void aReadEndedAfterTheCloseNotesNothing() {
    connections(10, 10, 1 << 30);
    EmbeddedChannel ch = connect("127.0.0.1");
    ch.writeInbound(frameStart(100, 10, 64));
    ConnectionWatch watch = ch.pipeline().get(ConnectionWatch.class);
    ch.close();
    assertThat(connections.statsNow().partialFrameBytes()).isZero();
    // As the decoder's last read on the closed channel would: nothing is counted again.
    connections.partialFrame(watch, 64, true);
    assertThat(connections.statsNow().partialFrameBytes()).isZero();
    advance(FRAME_READ.multipliedBy(2));
    assertThat(connections.statsNow().closedFrameReadTimeout()).isZero();
  }

  @Test
  void aFrameIsNotTimedWhileTheMasterDoesNotReadItsConnection() {
    connections(10, 10, 1 << 30);
    EmbeddedChannel paused = connect("127.0.0.1");
    paused.writeInbound(frameStart(100, 10, 64));
    paused.config().setAutoRead(false); // backpressure: the client cannot send the rest
    advance(FRAME_READ.multipliedBy(10));
    assertThat(paused.isOpen()).isTrue();
    advance(IDLE.multipliedBy(2));
    assertThat(goAways).as("paused is not idle").isEmpty();

    paused.config().setAutoRead(true);
    advance(FRAME_READ.dividedBy(2));
    assertThat(paused.isOpen()).as("its time runs again from the resumption").isTrue();
    advance(FRAME_READ.multipliedBy(2));
    assertThat(paused.isOpen()).isFalse();
    releaseOutbound(paused);
  }

  @Test
  void wholeFramesAreNeverTimed() {
    connections(10, 10, 1 << 30);
    EmbeddedChannel ch = connect("127.0.0.1");
    for (int i = 0; i < 5; i++) {
      ByteBuf ping = Unpooled.buffer();
      ProtoWire.writeVarint32(ping, 0); // an empty frame: a malformed header, answered, never timed
      ch.writeInbound(ping);
      advance(FRAME_READ);
    }
    assertThat(ch.isOpen()).isTrue();
    assertThat(connections.statsNow().partialFrameBytes()).isZero();
    releaseOutbound(ch);
  }

  @Test
  void eachNewFrameGetsTheWholeTimeout() {
    connections(10, 10, 1 << 30);
    EmbeddedChannel ch = connect("127.0.0.1");
    ch.writeInbound(frameStart(4, 2, 16));
    advance(FRAME_READ.multipliedBy(3).dividedBy(4));
    // The rest of the first frame and the start of a second: the second's time starts now.
    ByteBuf more = Unpooled.buffer();
    more.writeZero(2);
    ProtoWire.writeVarint32(more, 4);
    more.writeZero(1);
    ch.writeInbound(more);
    advance(FRAME_READ.multipliedBy(3).dividedBy(4));
    assertThat(ch.isOpen()).as("the second frame has had 1.5 s").isTrue();
    advance(FRAME_READ);
    assertThat(ch.isOpen()).isFalse();
    releaseOutbound(ch);
  }

  @Test
  void overTheMemoryBoundTheOldestIncompleteFrameGoesAndTheNewerOneCompletes() {
    connections(10, 10, 5000);
    EmbeddedChannel stalled = connect("127.0.0.1");
    stalled.writeInbound(frameStart(3000, 10, 3000));
    advance(Duration.ofMillis(500));
    EmbeddedChannel bystander = connect("127.0.0.2");
    bystander.writeInbound(frameStart(2900, 1000, 3000));
    assertThat(stalled.isOpen()).isFalse();
    assertConnectionError(
        stalled,
        Status.OVERLOADED_VALUE,
        "incomplete frames of all connections hold more than " + io.drover.protocol.HumanUnits.bytesExactly(5000)
            + " (--max-partial-frame-mib 0); this connection's frame is the oldest");
    assertThat(bystander.isOpen()).isTrue();
    assertThat(connections.statsNow().closedPartialFrameMemory()).isEqualTo(1);
    assertThat(connections.statsNow().partialFrameBytes()).isEqualTo(3000);

    ByteBuf rest = Unpooled.buffer();
    rest.writeZero(1900 + 1 + 1);
    rest.setByte(0, 0); // the header starts here: an empty header is still a whole frame
    bystander.writeInbound(rest.retainedSlice(0, 1902));
    rest.release();
    assertThat(connections.statsNow().partialFrameBytes()).isZero();
    assertThat(bystander.isOpen()).isTrue();
    releaseOutbound(bystander);
  }

  @Test
  void anIdleConnectionIsSentAGoAwayAndABusyOneIsNot() {
    connections(10, 10, 1 << 30);
    holdsWork = true;
    EmbeddedChannel busy = connect("127.0.0.1");
    advance(IDLE.plusSeconds(20));
    assertThat(goAways).as("it holds work").isEmpty();

    holdsWork = false;
    advance(IDLE.dividedBy(2));
    assertThat(goAways).isEmpty();
    ByteBuf ping = Unpooled.buffer();
    ProtoWire.writeVarint32(ping, 0);
    busy.writeInbound(ping);
    busy.runPendingTasks();
    advance(IDLE.dividedBy(2).plusSeconds(10));
    assertThat(goAways).as("it received a frame 40 s ago").isEmpty();
    advance(IDLE);
    assertThat(goAways).containsExactly("idle for " + io.drover.protocol.HumanUnits.duration(IDLE) + " (--idle-timeout 60)");
    assertThat(connections.statsNow().closedIdle()).isEqualTo(1);
    advance(IDLE.multipliedBy(2));
    assertThat(goAways).as("one GOAWAY").hasSize(1);
    releaseOutbound(busy);
  }

  private static void releaseOutbound(EmbeddedChannel ch) {
    for (Object o; (o = ch.readOutbound()) != null; ) {
      io.netty.util.ReferenceCountUtil.release(o);
    }
  }
}
