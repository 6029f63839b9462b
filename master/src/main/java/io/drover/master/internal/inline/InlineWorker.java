package io.drover.master.internal.inline;

import io.drover.master.internal.dispatch.Dispatcher;
import io.drover.master.internal.dispatch.WorkerLink;
import io.drover.master.internal.dispatch.WorkerSession;
import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.WorkerEventCodec;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import io.drover.worker.internal.TraceMdc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks with handlers loaded into the master. Non-blocking handlers run on the dispatch
 * event loop itself; others on a pool of {@code capacity} threads. Results go back to the
 * dispatcher as the same RESULT frames a worker would send, once per loop turn.
 */
public final class InlineWorker implements WorkerLink {
  private final EventLoop loop;
  private final Dispatcher dispatcher;
  private final Map<String, TaskHandler> handlers;
  private final int capacity;
  private final int maxFrameBytes;
  private final ExecutorService pool;
  private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean deliveryScheduled = new AtomicBoolean();
  private final Runnable deliver = this::deliver;
  private final WorkerEventCodec resultHeader = new WorkerEventCodec();
  /** Blocking handlers' tasks, from dispatch until they finish, so that CANCEL can find them. */
  private final Map<Long, Context> running = new java.util.concurrent.ConcurrentHashMap<>();
  private WorkerSession session;

  /** A finished task waiting to be handed back on the event loop. */
  private record Completion(long taskId, int status, byte[] message, byte[] body) {}

  /**
   * Creates an inline worker; {@link #attach} registers it.
   *
   * @param maxFrameBytes the master's maximum frame, which bounds a result as it does a worker's
   */
  public InlineWorker(
      EventLoop loop, Dispatcher dispatcher, Map<String, TaskHandler> handlers, int capacity, int maxFrameBytes) {
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.handlers = Map.copyOf(handlers);
    this.capacity = capacity;
    this.maxFrameBytes = maxFrameBytes;
    this.pool = Executors.newFixedThreadPool(capacity, new DefaultThreadFactory("drover-inline-handler", true));
  }

  /**
   * Registers with the dispatcher as worker 1; call on the event loop.
   *
   * @throws IllegalStateException if the dispatcher refuses it
   */
  public void attach() {
    session = dispatcher.workerAttached(this);
    String refusal =
        dispatcher.workerPort().registered(
            session,
            Registration.newBuilder()
                .setWorkerId(1)
                .setPid(ProcessHandle.current().pid())
                .setCapacity(capacity)
                .addAllTaskTypes(new ArrayList<>(handlers.keySet()))
                .build());
    if (refusal != null) {
      throw new IllegalStateException("inline worker refused: " + refusal);
    }
  }

  @Override
  public void sendTask(
      long taskId, String taskType, byte[] taskTypeUtf8, int attempt, byte[] traceparent, ByteBuf payload) {
    TaskHandler handler = handlers.get(taskType);
    byte[] input = ByteBufUtil.getBytes(payload, payload.readerIndex(), payload.readableBytes());
    Context context =
        new Context(
            taskId, taskType, attempt,
            traceparent.length == 0 ? null : new String(traceparent, StandardCharsets.US_ASCII));
    if (handler.isNonBlocking()) {
      // Finishes within this call, so no CANCEL can arrive while it runs.
      complete(run(handler, context, input, maxFrameBytes));
    } else {
      running.put(taskId, context);
      pool.execute(
          () -> {
            try {
              complete(context.cancelled ? cancelledBeforeStart(taskId) : runOnThisThread(handler, context, input, maxFrameBytes));
            } finally {
              running.remove(taskId);
            }
          });
    }
  }

  /** Runs a blocking handler where a CANCEL can interrupt it, then clears any such interrupt. */
  private static Completion runOnThisThread(
      TaskHandler handler, Context context, byte[] input, int maxFrameBytes) {
    context.runner = Thread.currentThread();
    try {
      return run(handler, context, input, maxFrameBytes);
    } finally {
      // Ordered against sendCancel, so an interrupt meant for this task never reaches the next.
      synchronized (context) {
        context.runner = null;
      }
      Thread.interrupted();
    }
  }

  private static Completion cancelledBeforeStart(long taskId) {
    return new Completion(
        taskId, Status.CANCELLED_VALUE, ProtoWire.utf8("cancelled before it started"), ProtoWire.EMPTY);
  }

  private static Completion run(TaskHandler handler, Context context, byte[] input, int maxFrameBytes) {
    if (context.traceparent != null) {
      TraceMdc.put(context.traceparent);
    }
    try {
      byte[] result = handler.handle(context, input);
      if (result == null) {
        return failed(context.taskId, "handler for '" + context.taskType + "' returned null");
      }
      if (result.length > FrameLimits.maxResultBytes(maxFrameBytes)) {
        // As in a worker: the client could not read the response frame, so only this task fails.
        String message = FrameLimits.resultTooLargeMessage(context.taskType, result.length, maxFrameBytes);
        return new Completion(
            context.taskId, Status.RESULT_TOO_LARGE_VALUE, ProtoWire.utf8(message), ProtoWire.EMPTY);
      }
      return new Completion(context.taskId, Status.OK_VALUE, ProtoWire.EMPTY, result);
    } catch (Exception | LinkageError | AssertionError e) {
      return failed(context.taskId, e.getMessage() != null ? e.getMessage() : e.getClass().getName());
    } finally {
      if (context.traceparent != null) {
        TraceMdc.clear();
      }
    }
  }

  private static Completion failed(long taskId, String message) {
    return new Completion(
        taskId, Status.HANDLER_ERROR_VALUE, ProtoWire.utf8(FrameLimits.shortenMessage(message)), ProtoWire.EMPTY);
  }

  private void complete(Completion completion) {
    completions.add(completion);
    if (!deliveryScheduled.get() && deliveryScheduled.compareAndSet(false, true)) {
      loop.execute(deliver);
    }
  }

  /** Hands every finished task to the dispatcher as a RESULT frame. */
  private void deliver() {
    deliveryScheduled.set(false);
    List<Completion> batch = new ArrayList<>();
    for (Completion c; (c = completions.poll()) != null; ) {
      batch.add(c);
    }
    for (Completion c : batch) {
      int kind = WorkerEventCodec.KIND_RESULT;
      ByteBuf frame =
          PooledByteBufAllocator.DEFAULT.buffer(
              WorkerEventCodec.frameSize(kind, c.taskId, c.status, c.message, c.body.length));
      WorkerEventCodec.writeFramePrefix(frame, kind, c.taskId, c.status, c.message, c.body.length);
      frame.writeBytes(c.body);
      ProtoWire.readVarint32(frame); // the frame length prefix a socket's FrameDecoder strips
      resultHeader.decode(frame);
      dispatcher.workerPort().result(session, resultHeader, frame);
    }
  }

  /** Sets the task's cancellation flag and interrupts its handler thread, as a worker would. */
  @Override
  public void sendCancel(long taskId) {
    Context context = running.get(taskId);
    if (context != null) {
      context.cancelled = true;
      synchronized (context) {
        Thread t = context.runner;
        if (t != null) {
          t.interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  @Override
  public void sendDrain() {
    pool.shutdown();
  }

  /** What an inline handler knows of its task, and how a CANCEL reaches it. */
  private static final class Context implements TaskContext {
    final long taskId;
    final String taskType;
    final int attempt;
    /** The client's traceparent, or null. */
    final String traceparent;
    volatile boolean cancelled;
    /** The pool thread running the handler, while it runs. */
    volatile Thread runner;

    Context(long taskId, String taskType, int attempt, String traceparent) {
      this.traceparent = traceparent;
      this.taskId = taskId;
      this.taskType = taskType;
      this.attempt = attempt;
    }

    @Override
    public long taskId() {
      return taskId;
    }

    @Override
    public String taskType() {
      return taskType;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public int workerId() {
      return 1;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public Optional<String> traceparent() {
      return Optional.ofNullable(traceparent);
    }
  }
}
