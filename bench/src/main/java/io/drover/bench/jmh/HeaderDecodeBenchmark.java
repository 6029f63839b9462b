package io.drover.bench.jmh;

import com.google.protobuf.CodedInputStream;
import io.drover.protocol.proto.RequestHeader;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Header decoding per frame, on frames as {@code FrameDecoder} emits them (pooled direct buffers,
 * reader index reset each operation): the hand-written {@link RequestHeaderCodec}, {@link
 * WorkerEventCodec} and {@link ResponseHeaderCodec}, and for comparison the generated {@link
 * RequestHeader#parseFrom(CodedInputStream)} on the same header bytes, once from a heap array
 * and once from the direct buffer's {@code ByteBuffer} (what the master would have to do). The
 * generated parser allocates a message, a String for the task type and a {@code CodedInputStream}
 * per frame; the codecs allocate nothing, which is why they exist. Run with {@code -prof gc} to
 * see the difference in bytes per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsPrepend = {
    "-XX:+UseParallelGC",
    "-Dio.netty.allocator.type=pooled",
    // Leak sampling allocates a tracker and a stack trace now and then: noise, not Drover's cost.
    "-Dio.netty.leakDetection.level=disabled",
    // Benchmark threads are FastThreadLocalThreads, like the master's event loop.
    "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.drover.bench.jmh.EventLoopThreadExecutor"})
public class HeaderDecodeBenchmark {
  private static final byte[] BODY = Frames.body(64);
  private static final long REQUEST_ID = 123_456_789L;

  private final RequestHeaderCodec requestCodec = new RequestHeaderCodec();
  private final WorkerEventCodec workerEventCodec = new WorkerEventCodec();
  private final ResponseHeaderCodec responseCodec = new ResponseHeaderCodec();
  private ByteBuf request;
  private ByteBuf workerEvent;
  private ByteBuf response;
  private int requestStart;
  private int workerEventStart;
  private int responseStart;
  private byte[] headerArray;
  private int headerIndex;
  private int headerLength;

  /** Builds one frame of each kind and copies the request's header bytes to a heap array. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    request = Frames.submitFrame(alloc, REQUEST_ID, BODY);
    workerEvent = Frames.resultFrame(alloc, REQUEST_ID, ProtoWire.EMPTY, BODY);
    response = Frames.responseFrame(alloc, REQUEST_ID, BODY);
    requestStart = request.readerIndex();
    workerEventStart = workerEvent.readerIndex();
    responseStart = response.readerIndex();
    headerLength = ProtoWire.readHeaderLength(request);
    headerIndex = request.readerIndex();
    headerArray = new byte[headerLength];
    request.getBytes(headerIndex, headerArray);
    request.readerIndex(requestStart);
    requestCodec();
    workerEventCodec();
    responseCodec();
    if (requestCodec.requestId() != REQUEST_ID
        || requestCodec.taskTypeLength() != Frames.ECHO.length
        || !"echo".equals(protobufFromArray().getTaskType())
        || protobufFromDirectBuffer().getRequestId() != REQUEST_ID
        || workerEventCodec.taskId() != REQUEST_ID
        || responseCodec.requestId() != REQUEST_ID
        || responseCodec.attempts() != 1) {
      throw new IllegalStateException("a decoder disagrees with the frames it was given");
    }
  }

  /** Releases the frames. */
  @TearDown(Level.Trial)
  public void tearDown() {
    request.release();
    workerEvent.release();
    response.release();
  }

  /** {@link RequestHeaderCodec#decode}: the master's decode of every client frame. */
  @Benchmark
  public long requestCodec() {
    request.readerIndex(requestStart);
    requestCodec.decode(request);
    return requestCodec.requestId() + requestCodec.taskTypeIndex();
  }

  /** {@link WorkerEventCodec#decode}: the master's decode of every worker result. */
  @Benchmark
  public long workerEventCodec() {
    workerEvent.readerIndex(workerEventStart);
    workerEventCodec.decode(workerEvent);
    return workerEventCodec.taskId() + workerEventCodec.status();
  }

  /** {@link ResponseHeaderCodec#decode}: the client's decode of every response. */
  @Benchmark
  public long responseCodec() {
    response.readerIndex(responseStart);
    responseCodec.decode(response);
    return responseCodec.requestId() + responseCodec.attempts();
  }

  /** Generated parser over a heap copy of the same header bytes (its best case). */
  @Benchmark
  public RequestHeader protobufFromArray() throws IOException {
    return RequestHeader.parseFrom(CodedInputStream.newInstance(headerArray, 0, headerLength));
  }

  /** Generated parser straight from the frame's direct buffer, as the master would have to. */
  @Benchmark
  public RequestHeader protobufFromDirectBuffer() throws IOException {
    return RequestHeader.parseFrom(
        CodedInputStream.newInstance(request.nioBuffer(headerIndex, headerLength)));
  }
}
