package io.drover.bench.jmh;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Framing cost per frame: writing a whole client frame with {@link RequestHeaderCodec#writeFrame}
 * (prefixes, header, body copy) into a reused pooled direct buffer, and splitting a read buffer
 * of {@value #FRAMES_PER_READ} frames with {@link FrameDecoder} as a channel would. Scores are per
 * frame.
 *
 * <p>The decoder runs in an {@link EmbeddedChannel} whose last handler counts and releases each
 * frame; the read buffer is a retained duplicate of one prepared buffer, so the benchmark itself
 * copies nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsPrepend = {
    "-XX:+UseParallelGC",
    "-Dio.netty.allocator.type=pooled",
    // Leak sampling allocates a tracker and a stack trace now and then: noise, not Drover's cost.
    "-Dio.netty.leakDetection.level=disabled",
    // Benchmark threads are FastThreadLocalThreads, like the master's event loop.
    "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.drover.bench.jmh.EventLoopThreadExecutor"})
public class FrameCodecBenchmark {
  /** Frames in each buffer handed to the decoder, as if one socket read returned them all. */
  static final int FRAMES_PER_READ = 64;

  /** Body bytes per frame. */
  @Param({"64", "4096"})
  public int payloadBytes;

  private ByteBuf body;
  private ByteBuf encodeOut;
  private long requestId;
  private ByteBuf readBuffer;
  private EmbeddedChannel channel;
  private final FrameCounter counter = new FrameCounter();

  /** Prepares the body, the encode target and a read buffer of {@value #FRAMES_PER_READ} frames. */
  @Setup(Level.Trial)
  public void setUp() {
    PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    body = alloc.directBuffer(payloadBytes).writeBytes(Frames.body(payloadBytes));
    encodeOut = alloc.directBuffer(payloadBytes + 64);
    readBuffer = alloc.directBuffer(FRAMES_PER_READ * (payloadBytes + 32));
    for (int i = 0; i < FRAMES_PER_READ; i++) {
      RequestHeaderCodec.writeFrame(
          readBuffer, RequestHeaderCodec.KIND_SUBMIT, 1_000_000 + i, Frames.ECHO, body);
    }
    channel = new EmbeddedChannel(new FrameDecoder(FrameLimits.DEFAULT_MAX_FRAME_BYTES), counter);
    channel.config().setAllocator(alloc);
    channel.pipeline().fireChannelRead(readBuffer.retainedDuplicate());
    if (counter.frames != FRAMES_PER_READ) {
      throw new IllegalStateException("decoded " + counter.frames + " frames, expected " + FRAMES_PER_READ);
    }
  }

  /** Releases the buffers. */
  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
    body.release();
    encodeOut.release();
    readBuffer.release();
  }

  /** Writes one whole SUBMIT frame (body copied) into a cleared, reused buffer. */
  @Benchmark
  public int encode() {
    ByteBuf out = encodeOut.clear();
    RequestHeaderCodec.writeFrame(out, RequestHeaderCodec.KIND_SUBMIT, ++requestId, Frames.ECHO, body);
    return out.writerIndex();
  }

  /** Splits one read of {@value #FRAMES_PER_READ} frames; the score is per frame. */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_READ)
  public long decode() {
    channel.pipeline().fireChannelRead(readBuffer.retainedDuplicate());
    channel.pipeline().fireChannelReadComplete();
    return counter.frames;
  }

  /** Last handler of the decoding channel: counts the frames and releases them. */
  static final class FrameCounter extends ChannelInboundHandlerAdapter {
    long frames;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      frames++;
      ((ByteBuf) msg).release();
    }

    @Override
    public boolean isSharable() {
      return true;
    }
  }
}
