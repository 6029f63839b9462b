package io.drover.worker.internal;

import io.drover.protocol.Traceparent;
import io.drover.protocol.frame.FrameTooLargeException;
import io.drover.protocol.frame.MalformedFrameException;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.proto.Status;
import io.drover.protocol.proto.SharedMemoryOffer;
import io.drover.protocol.shm.RegionFile;
import io.drover.worker.internal.shm.ResultRegion;
import io.netty.buffer.ByteBufUtil;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.drover.protocol.IdMap;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end of its connection to the master: registers, turns TASK commands into {@link
 * TaskRun}s on the handler pool, and drains on DRAIN. All its state is confined to the channel's
 * event loop.
 */
final class MasterConnection extends ChannelInboundHandlerAdapter {
  private static final Logger logger = LoggerFactory.getLogger(MasterConnection.class);
  private static final int UNKNOWN_TASK_TYPE = Status.UNKNOWN_TASK_TYPE.getNumber();
  private static final int SHUTTING_DOWN = Status.SHUTTING_DOWN.getNumber();
  private static final int INTERNAL = Status.INTERNAL.getNumber();

  private final WorkerConfig config;
  private final Executor pool;
  private final WorkerRuntime runtime;
  private final WorkerCommandCodec command = new WorkerCommandCodec();
  private final IdMap<TaskRun> running = new IdMap<>();
  /** Tasks received whose results are not yet written; reading pauses above this. */
  private final int highWater;
  private final int lowWater;

  private static final VarHandle PENDING;
  private static final VarHandle COMPLETED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PENDING = lookup.findVarHandle(MasterConnection.class, "pending", int.class);
      COMPLETED = lookup.findVarHandle(MasterConnection.class, "completed", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ChannelHandlerContext ctx;
  private ResultWriter writer;
  /**
   * Tasks received whose results are not yet written. Written only on the event loop, with release
   * stores (no fence on x86) so the heartbeat thread's acquire reads see it; see {@link #addPending}.
   */
  private int pending;
  /** Results written so far; written like {@link #pending}, read by the heartbeat thread. */
  private long completed;
  private HeartbeatSender heartbeats;
  private boolean readPaused;
  private boolean draining;
  private boolean closing;
  /** The master's payload region, mapped read-only once it says where it is; null until then. */
  private RegionFile payloadRegion;
  /** This worker's result region, once the master has offered shared memory; null until then. */
  private ResultRegion resultRegion;

  MasterConnection(WorkerConfig config, Executor pool, WorkerRuntime runtime) {
    this.config = config;
    this.pool = pool;
    this.runtime = runtime;
    this.highWater = Math.max(1024, config.capacity() * 64);
    this.lowWater = highWater / 2;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.writer = new ResultWriter(ctx, this, config.maxFrameBytes());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    byte[] body =
        Registration.newBuilder()
            .setWorkerId(config.workerId())
            .setPid(ProcessHandle.current().pid())
            .setCapacity(config.capacity())
            .addAllTaskTypes(config.handlers().taskTypes())
            .setSharedMemory(true)
            .build()
            .toByteArray();
    int kind = WorkerEventCodec.KIND_REGISTER;
    ByteBuf frame =
        ctx.alloc().buffer(WorkerEventCodec.frameSize(kind, 0, 0, ProtoWire.EMPTY, body.length));
    WorkerEventCodec.writeFramePrefix(frame, kind, 0, 0, ProtoWire.EMPTY, body.length);
    frame.writeBytes(body);
    ctx.writeAndFlush(frame, ctx.voidPromise());
    heartbeats =
        new HeartbeatSender(
            ctx.channel(),
            config.workerId(),
            () -> (int) PENDING.getAcquire(this),
            () -> (long) COMPLETED.getAcquire(this));
    heartbeats.start(config.heartbeatInterval());
    logger.debug("worker {}: registered with the master, serving {}", config.workerId(),
        config.handlers().taskTypes());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      onFrame(frame);
    } finally {
      frame.release();
    }
  }

  private void onFrame(ByteBuf frame) {
    try {
      command.decode(frame);
    } catch (MalformedFrameException e) {
      logger.warn("worker {}: ignoring a malformed command from the master: {}",
          config.workerId(), e.getMessage());
      return;
    }
    switch (command.kind()) {
      case WorkerCommandCodec.KIND_TASK -> onTask(frame);
      case WorkerCommandCodec.KIND_DRAIN -> onDrain();
      case WorkerCommandCodec.KIND_MAP_REGION -> mapPayloadRegion(frame);
      case WorkerCommandCodec.KIND_RELEASE -> releaseResult();
      case WorkerCommandCodec.KIND_CANCEL -> {
        TaskRun run = running.get(command.taskId());
        if (run != null) {
          run.cancel();
        }
      }
      default -> logger.warn("worker {}: ignoring a command of unknown kind {} from the master",
          config.workerId(), command.kind());
    }
  }

  private void onTask(ByteBuf frame) {
    long taskId = command.taskId();
    if (draining) {
      answer(TaskRun.answered(taskId, config.workerId(), SHUTTING_DOWN,
          "worker " + config.workerId() + " is draining and takes no new tasks"));
      return;
    }
    HandlerRegistry.Entry entry =
        config.handlers().find(frame, command.taskTypeIndex(), command.taskTypeLength());
    if (entry == null) {
      answer(TaskRun.answered(taskId, config.workerId(), UNKNOWN_TASK_TYPE, unknownType(frame)));
      return;
    }
    byte[] payload = null;
    ByteBuffer payloadView = null;
    if (command.regionLength() != 0) {
      payloadView = payloadInRegion(taskId);
      if (payloadView == null) {
        return;
      }
    } else {
      payload = new byte[frame.readableBytes()];
      frame.readBytes(payload);
    }
    TaskRun run =
        new TaskRun(
            taskId, entry, command.attempt(), config.workerId(), payload, payloadView,
            command.traceparentLength() == 0 ? null : traceparent(frame), writer);
    addPending(1);
    if (entry.handler().isNonBlocking()) {
      // Runs here and now; its result joins the batch written after this read.
      run.run();
      return;
    }
    running.put(taskId, run);
    try {
      pool.execute(run);
    } catch (RejectedExecutionException e) {
      // Only when the worker is closing: the pool is shut down and the channel goes next.
      running.remove(taskId);
      addPending(-1);
      return;
    }
    updateReading();
  }

  /**
   * Maps the master's payload region, which later TASK frames may point into, and creates this
   * worker's result region, which it tells the master about.
   */
  private void mapPayloadRegion(ByteBuf frame) {
    SharedMemoryOffer offer;
    try {
      offer = SharedMemoryOffer.parseFrom(ByteBufUtil.getBytes(frame, frame.readerIndex(), frame.readableBytes(), false));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      logger.error("worker {}: malformed shared-memory offer from the master: {}", config.workerId(), e.getMessage());
      return;
    }
    Path path = Path.of(offer.getPath());
    try {
      payloadRegion = RegionFile.openReadOnly(path);
      logger.debug("worker {}: mapped the master's payload region {} ({} bytes)",
          config.workerId(), path, payloadRegion.size());
    } catch (IOException | RuntimeException e) {
      // Tasks that point into it fail one by one (INTERNAL); the others run.
      logger.error("worker {}: cannot map the master's payload region {}: {}",
          config.workerId(), path, e.toString());
      return;
    }
    try {
      ResultRegion results =
          ResultRegion.create(path.getParent(), offer.getResultRegionBytes(), Math.max(1, offer.getThresholdBytes()));
      byte[] name = results.path().toString().getBytes(StandardCharsets.UTF_8);
      int kind = WorkerEventCodec.KIND_RESULT_REGION;
      ByteBuf event = ctx.alloc().buffer(WorkerEventCodec.frameSize(kind, 0, 0, ProtoWire.EMPTY, name.length));
      WorkerEventCodec.writeFramePrefix(event, kind, 0, 0, ProtoWire.EMPTY, name.length);
      event.writeBytes(name);
      ctx.writeAndFlush(event, ctx.voidPromise());
      resultRegion = results;
      writer.resultRegion(results);
    } catch (IOException | RuntimeException e) {
      // Results then all go through the socket.
      logger.warn("worker {}: cannot create a result region, results go through the socket: {}",
          config.workerId(), e.toString());
    }
  }

  /** The master is done with a result block: it is free for another result. */
  private void releaseResult() {
    if (resultRegion == null) {
      logger.warn("worker {}: the master released a result block, but there is no result region", config.workerId());
      return;
    }
    try {
      resultRegion.free(command.regionOffset(), command.regionLength());
    } catch (RuntimeException e) {
      logger.warn("worker {}: the master released a result block that is not held: {}", config.workerId(), e.getMessage());
    }
  }

  /** The read-only view of a payload in the master's region, or null after answering the task INTERNAL. */
  private ByteBuffer payloadInRegion(long taskId) {
    String problem;
    if (payloadRegion == null) {
      problem = "the master sent a payload in shared memory, but its region is not mapped";
    } else {
      try {
        return payloadRegion.view(command.regionOffset(), command.regionLength()).asReadOnlyBuffer();
      } catch (IndexOutOfBoundsException e) {
        problem = "the master sent a payload outside its shared region: " + e.getMessage();
      }
    }
    answer(TaskRun.answered(taskId, config.workerId(), INTERNAL, "worker " + config.workerId() + ": " + problem));
    return null;
  }

  /** The task's traceparent, or null when it has none (or, from a faulty master, a malformed one). */
  private String traceparent(ByteBuf frame) {
    int index = command.traceparentIndex();
    int length = command.traceparentLength();
    if (length == 0 || !Traceparent.isWellFormed(frame, index, length)) {
      return null;
    }
    return frame.toString(index, length, StandardCharsets.US_ASCII);
  }

  private String unknownType(ByteBuf frame) {
    String type =
        frame.toString(command.taskTypeIndex(), command.taskTypeLength(), StandardCharsets.UTF_8);
    return "no handler for task type '" + type + "' in worker " + config.workerId()
        + " (serves: " + String.join(", ", config.handlers().taskTypes()) + ")";
  }

  private void answer(TaskRun run) {
    addPending(1);
    writer.enqueue(run);
  }

  /**
   * Drains at the worker's own initiative (SIGTERM): tells the master to send no more tasks, then
   * finishes those held, as for DRAIN. Call on the event loop.
   */
  void drainBySelf() {
    if (draining || !ctx.channel().isActive()) {
      return;
    }
    int kind = WorkerEventCodec.KIND_DRAINING;
    ByteBuf frame = ctx.alloc().buffer(WorkerEventCodec.frameSize(kind, 0, 0, ProtoWire.EMPTY, 0));
    WorkerEventCodec.writeFramePrefix(frame, kind, 0, 0, ProtoWire.EMPTY, 0);
    ctx.writeAndFlush(frame, ctx.voidPromise());
    onDrain();
  }

  private void onDrain() {
    if (draining) {
      return;
    }
    draining = true;
    logger.info("worker {}: draining, {} task(s) in flight", config.workerId(), pending);
    if (pending == 0) {
      closeAfterFlush();
    }
  }

  /** Changes {@link #pending}; call on the event loop, the only writer. */
  private void addPending(int delta) {
    PENDING.setRelease(this, pending + delta);
  }

  /** Called by the {@link ResultWriter} on the event loop for each result it writes. */
  void resultWritten(TaskRun run) {
    addPending(-1);
    COMPLETED.setRelease(this, completed + 1);
    if (run.ranHandler() && running.get(run.taskId()) == run) {
      running.remove(run.taskId());
    }
  }

  /** Called by the {@link ResultWriter} on the event loop after it flushed a batch. */
  void resultsFlushed() {
    updateReading();
    if (draining && pending == 0) {
      closeAfterFlush();
    }
  }

  private void closeAfterFlush() {
    if (!closing) {
      closing = true;
      // Completes after every earlier write, so no result is lost to the close.
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    updateReading();
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * Stops reading commands while too many tasks wait for their results or the socket is
   * backed up, so a flood from the master is answered by TCP-style backpressure, not heap growth.
   */
  private void updateReading() {
    boolean read =
        ctx.channel().isWritable() && (readPaused ? pending <= lowWater : pending < highWater);
    if (read == readPaused) {
      readPaused = !read;
      ctx.channel().config().setAutoRead(read);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (resultRegion != null) {
      // The master deletes the file once it has mapped it; this covers a master gone before.
      resultRegion.close();
    }
    if (heartbeats != null) {
      heartbeats.close();
    }
    if (!running.isEmpty()) {
      logger.debug("worker {}: connection closed, cancelling {} running task(s)",
          config.workerId(), running.size());
      for (TaskRun run : running.values()) {
        run.cancel();
      }
      running.clear();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof FrameTooLargeException || cause instanceof MalformedFrameException) {
      logger.error("worker {}: unreadable framing from the master, closing: {}",
          config.workerId(), cause.getMessage());
      runtime.markFailed();
    } else if (cause instanceof IOException) {
      logger.debug("worker {}: connection to the master failed: {}",
          config.workerId(), cause.toString());
    } else if (cause instanceof DecoderException) {
      logger.error("worker {}: cannot decode the master's frames, closing", config.workerId(),
          cause);
      runtime.markFailed();
    } else {
      logger.error("worker {}: unexpected error, closing the connection", config.workerId(),
          cause);
      runtime.markFailed();
    }
    ctx.close();
  }
}
