package io.drover.bench.jmh;

import io.drover.master.internal.dispatch.ClientSession;
import io.drover.master.internal.dispatch.Dispatcher;
import io.drover.master.internal.dispatch.WorkerRegistry;
import io.drover.master.internal.dispatch.WorkerSession;
import io.drover.master.internal.schedule.LeastLoadedScheduler;
import io.drover.master.internal.transport.BatchFlusher;
import io.drover.master.internal.transport.OutboundBatch;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One task through the master's real forwarding code, per operation: a client's SUBMIT frame is
 * decoded with {@link RequestHeaderCodec} and handed to {@link Dispatcher#submit}, the loop's
 * pending flush runs, the TASK frame is read from the worker's channel, the worker's RESULT frame
 * is decoded with {@link WorkerEventCodec} and handed to {@link Dispatcher#result}, and the
 * response is read from the client's channel. Netty {@link EmbeddedChannel}s with the pooled
 * allocator stand in for one client and one worker.
 *
 * <p>Run it with {@code -prof gc}: {@code gc.alloc.rate.norm} is the heap bytes allocated per
 * task. {@link #baseline} does everything except the two dispatcher calls (and so the flushes
 * have nothing to write); {@code forward - baseline} is what the master allocates per task. At
 * 64 KiB that figure must be no larger than at 4 KiB: payloads of {@link
 * OutboundBatch#COPY_THRESHOLD} bytes or more are forwarded as retained slices, never copied.
 *
 * <p>Frames are what {@code FrameDecoder} would emit: a retained duplicate of a prepared pooled
 * buffer (the real decoder makes a retained slice, the same one recycled object). The result
 * frame's body sits at a fixed place in a reused buffer and only its prefix is rewritten for each
 * task id, so the harness copies no payload either. EmbeddedChannel is not the epoll channel:
 * writes land in a queue instead of a socket, so transport-level costs (the outbound buffer's
 * entries, the {@code writev} iovec array) are those of the embedded transport.
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
public class ForwardingAllocationBenchmark {
  private static final long REQUEST_ID = 77;
  private static final int CAPACITY = 4;

  /** Bytes of the task's payload and of its result (an echo). */
  @Param({"64", "4096", "65536"})
  public int payloadBytes;

  private final RequestHeaderCodec requestCodec = new RequestHeaderCodec();
  private final WorkerEventCodec eventCodec = new WorkerEventCodec();
  private EmbeddedChannel clientChannel;
  private EmbeddedChannel workerChannel;
  private Dispatcher dispatcher;
  private ClientSession client;
  private WorkerSession worker;
  private ByteBuf submitFrame;
  private ByteBuf resultBuffer;
  private int resultBodyIndex;
  private long nextTaskId = 1;
  private long bytesSeen;

  /** Wires a dispatcher to an embedded client and worker and checks one task end to end. */
  @Setup(Level.Trial)
  public void setUp() {
    PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    clientChannel = new EmbeddedChannel();
    workerChannel = new EmbeddedChannel();
    clientChannel.config().setAllocator(alloc);
    workerChannel.config().setAllocator(alloc);
    // Every EmbeddedChannel has its own EmbeddedEventLoop. The dispatcher and the flusher use the
    // client channel's; its pending tasks (the flusher's end-of-turn flush) run in
    // clientChannel.runPendingTasks(). Writes and flushes to the worker channel are synchronous.
    var loop = clientChannel.eventLoop();
    var flusher = new BatchFlusher(loop);
    dispatcher = new Dispatcher(loop, new LeastLoadedScheduler(), new NoRegistry(), io.drover.master.config.InFlightLimit.fixed(4 * CAPACITY), 3);
    client = dispatcher.clientPort().clientConnected(clientChannel, new OutboundBatch(clientChannel, flusher));
    worker = dispatcher.workerPort().workerConnected(workerChannel, new OutboundBatch(workerChannel, flusher), -1);
    String refusal =
        dispatcher.workerPort().registered(
            worker,
            Registration.newBuilder()
                .setWorkerId(1)
                .setPid(4242)
                .setCapacity(CAPACITY)
                .addTaskTypes("echo")
                .build());
    if (refusal != null) {
      throw new IllegalStateException("worker refused: " + refusal);
    }
    byte[] body = Frames.body(payloadBytes);
    submitFrame = Frames.submitFrame(alloc, REQUEST_ID, body);
    resultBodyIndex = 32;
    resultBuffer = alloc.directBuffer(resultBodyIndex + payloadBytes);
    resultBuffer.setBytes(resultBodyIndex, body);
    checkOneTask();
  }

  /** Releases everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    clientChannel.finishAndReleaseAll();
    workerChannel.finishAndReleaseAll();
    submitFrame.release();
    resultBuffer.release();
  }

  /** One task: submit, forward to the worker, result, response to the client. */
  @Benchmark
  public long forward() {
    ByteBuf frame = submitFrame.retainedDuplicate();
    requestCodec.decode(frame);
    dispatcher.clientPort().submit(client, requestCodec, frame);
    clientChannel.runPendingTasks();
    long seen = drain(workerChannel);

    ByteBuf result = nextResultFrame(nextTaskId++);
    eventCodec.decode(result);
    dispatcher.workerPort().result(worker, eventCodec, result);
    clientChannel.runPendingTasks();
    seen += drain(clientChannel);
    return bytesSeen += seen;
  }

  /** {@link #forward} without the two dispatcher calls: the harness's own allocation. */
  @Benchmark
  public long baseline() {
    ByteBuf frame = submitFrame.retainedDuplicate();
    requestCodec.decode(frame);
    frame.release();
    clientChannel.runPendingTasks();
    long seen = drain(workerChannel);

    ByteBuf result = nextResultFrame(nextTaskId);
    eventCodec.decode(result);
    result.release();
    clientChannel.runPendingTasks();
    seen += drain(clientChannel);
    return bytesSeen += seen + requestCodec.requestId() + eventCodec.taskId();
  }

  /**
   * The worker's RESULT frame for {@code taskId} as FrameDecoder would emit it: the prefix is
   * written just before the body, which never moves.
   */
  private ByteBuf nextResultFrame(long taskId) {
    int prefix =
        WorkerEventCodec.frameSize(WorkerEventCodec.KIND_RESULT, taskId, 0, ProtoWire.EMPTY, payloadBytes)
            - payloadBytes;
    int start = resultBodyIndex - prefix;
    ByteBuf b = resultBuffer;
    b.setIndex(start, start);
    WorkerEventCodec.writeFramePrefix(
        b, WorkerEventCodec.KIND_RESULT, taskId, 0, ProtoWire.EMPTY, payloadBytes);
    b.writerIndex(resultBodyIndex + payloadBytes);
    Frames.stripPrefix(b);
    return b.retainedDuplicate();
  }

  /** Reads and releases everything written to {@code channel}; returns the bytes. */
  private static long drain(EmbeddedChannel channel) {
    long bytes = 0;
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      bytes += b.readableBytes();
      b.release();
    }
    return bytes;
  }

  /** Sends one task through and checks what the worker and the client receive. */
  private void checkOneTask() {
    ByteBuf frame = submitFrame.retainedDuplicate();
    requestCodec.decode(frame);
    dispatcher.clientPort().submit(client, requestCodec, frame);
    clientChannel.runPendingTasks();
    ByteBuf task = concat(workerChannel.outboundMessages());
    Frames.stripPrefix(task);
    WorkerCommandCodec command = new WorkerCommandCodec();
    command.decode(task);
    check(command.kind() == WorkerCommandCodec.KIND_TASK && command.taskId() == nextTaskId,
        "worker got task " + command.taskId() + ", expected " + nextTaskId);
    check(task.readableBytes() == payloadBytes, "worker got " + task.readableBytes() + " payload bytes");
    task.release();

    ByteBuf result = nextResultFrame(nextTaskId++);
    eventCodec.decode(result);
    dispatcher.workerPort().result(worker, eventCodec, result);
    clientChannel.runPendingTasks();
    ByteBuf response = concat(clientChannel.outboundMessages());
    Frames.stripPrefix(response);
    ResponseHeaderCodec header = new ResponseHeaderCodec();
    header.decode(response);
    check(header.requestId() == REQUEST_ID && header.status() == 0 && header.attempts() == 1,
        "client got request " + header.requestId() + " status " + header.status());
    check(response.readableBytes() == payloadBytes, "client got " + response.readableBytes() + " result bytes");
    response.release();
    check(worker.outstanding() == 0 && dispatcher.tasksInProgress() == 0, "a task is left over");
  }

  private static ByteBuf concat(java.util.Queue<Object> messages) {
    ByteBuf all = PooledByteBufAllocator.DEFAULT.heapBuffer();
    Object m;
    while ((m = messages.poll()) != null) {
      ByteBuf b = (ByteBuf) m;
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  /** Accepts every worker; the supervisor is not part of the forwarding path. */
  private static final class NoRegistry implements WorkerRegistry {
    @Override
    public String registered(int workerId, long pid, int capacity, List<String> taskTypes) {
      return null;
    }

    @Override
    public void disconnected(int workerId, long pid) {}
  }
}
