package io.drover.master.internal.dispatch;

import io.drover.protocol.wire.ProtoWire;
import io.netty.util.concurrent.ScheduledFuture;

/** The fields of a {@link Task} that most tasks leave unset, kept apart to keep {@code Task} small. */
final class TaskExtras {
  /** Fires when the deadline passes; null when the task has none. */
  ScheduledFuture<?> deadline;
  /**
   * The client's W3C traceparent, copied out of its frame (which is compacted or released before
   * the task may be retried); {@link ProtoWire#EMPTY} when the task has none.
   */
  byte[] traceparent = ProtoWire.EMPTY;
}
