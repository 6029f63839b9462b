package io.drover.worker.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Carries finished tasks from pool threads to the channel (gRPC's {@code WriteQueue} pattern):
 * producers add to one lock-free queue and schedule a single drain task on the event loop only
 * when none is pending; the drain writes every queued result into one pooled buffer (a few when
 * they are large) and flushes once.
 */
final class ResultWriter implements Runnable {
  /** Results written per drain run before yielding the event loop to reads. */
  private static final int MAX_RESULTS_PER_DRAIN = 4096;
  /** Largest batch buffer; beyond it a new one is started. */
  private static final int MAX_BATCH_BYTES = 1024 * 1024;

  private final Queue<TaskRun> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ArrayList<TaskRun> batch = new ArrayList<>();
  private final ChannelHandlerContext ctx;
  private final MasterConnection connection;
  private final int maxFrameBytes;
  private volatile io.drover.worker.internal.shm.ResultRegion resultRegion;

  ResultWriter(ChannelHandlerContext ctx, MasterConnection connection, int maxFrameBytes) {
    this.ctx = ctx;
    this.connection = connection;
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * The largest frame the master accepts from this worker, which bounds a result's size ({@link
   * io.drover.protocol.FrameLimits#maxResultBytes}).
   */
  int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** The result region, once the master has offered shared memory; null before or without. */
  io.drover.worker.internal.shm.ResultRegion resultRegion() {
    return resultRegion;
  }

  /** Sets the result region (on the event loop; handler threads read it). */
  void resultRegion(io.drover.worker.internal.shm.ResultRegion region) {
    this.resultRegion = region;
  }

  /** Queues a finished task's result; safe from any thread. */
  void enqueue(TaskRun run) {
    queue.add(run);
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      try {
        ctx.executor().execute(this);
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down with the worker; the result has nowhere to go.
        queue.clear();
      }
    }
  }

  @Override
  public void run() {
    try {
      drain();
    } finally {
      scheduled.set(false);
      if (!queue.isEmpty()) {
        scheduleDrain();
      }
    }
  }

  private void drain() {
    if (!ctx.channel().isActive()) {
      queue.clear();
      return;
    }
    int remaining = 0;
    TaskRun run;
    while (batch.size() < MAX_RESULTS_PER_DRAIN && (run = queue.poll()) != null) {
      batch.add(run);
      remaining += run.bufferedBytes();
    }
    if (batch.isEmpty()) {
      return;
    }
    ByteBuf buf = null;
    try {
      for (int i = 0; i < batch.size(); i++) {
        run = batch.get(i);
        int need = run.bufferedBytes();
        if (buf == null || buf.writableBytes() < need) {
          if (buf != null) {
            ctx.write(buf, ctx.voidPromise());
          }
          buf = ctx.alloc().buffer(Math.max(need, Math.min(remaining, MAX_BATCH_BYTES)));
        }
        run.writeFramePrefix(buf);
        if (run.isLargeBody()) {
          ctx.write(buf, ctx.voidPromise());
          buf = null;
          ctx.write(Unpooled.wrappedBuffer(run.body(), 0, run.bodyLength()), ctx.voidPromise());
        } else {
          buf.writeBytes(run.body(), 0, run.bodyLength());
        }
        remaining -= need;
        connection.resultWritten(run);
      }
      if (buf != null) {
        ctx.write(buf, ctx.voidPromise());
        buf = null;
      }
    } finally {
      if (buf != null) {
        buf.release();
      }
      batch.clear();
    }
    ctx.flush();
    connection.resultsFlushed();
  }
}
