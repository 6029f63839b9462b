package io.drover.master.internal.dispatch;

import io.netty.buffer.ByteBuf;

/**
 * How the dispatcher reaches one worker: over its socket ({@link SocketWorkerLink}) or, in inline
 * mode, by calling handlers inside the master. Called on the dispatch event loop.
 */
public interface WorkerLink {
  /**
   * Sends one task. {@code payload}'s readable bytes are the client's payload; the link must not
   * move its indexes or release it (the dispatcher keeps it for retries). {@code traceparent} is
   * the client's W3C traceparent (ASCII), empty when the task has none.
   */
  void sendTask(long taskId, String taskType, byte[] taskTypeUtf8, int attempt, byte[] traceparent, ByteBuf payload);

  /**
   * Sends one task whose payload lies in the master's payload region at {@code regionOffset}
   * ({@code regionLength} bytes); only for a worker told the region with {@link #sendMapRegion}.
   */
  default void sendSharedTask(
      long taskId, byte[] taskTypeUtf8, int attempt, byte[] traceparent, long regionOffset, int regionLength) {
    throw new UnsupportedOperationException("this worker does not map the payload region");
  }

  /** Tells the worker where the master's payload region is (its file's path, UTF-8). */
  default void sendMapRegion(byte[] pathUtf8) {
    throw new UnsupportedOperationException("this worker does not map the payload region");
  }

  /** Tells the worker that its result block at {@code regionOffset} is free again. */
  default void sendRelease(long regionOffset, int regionLength) {
    throw new UnsupportedOperationException("this worker has no result region");
  }

  /** Asks the worker to finish what it holds and exit. */
  void sendDrain();

  /** Tells the worker to stop task {@code taskId} (its client has been answered already). */
  void sendCancel(long taskId);

  /** Drops the connection at once (the worker is being killed). */
  void close();
}
