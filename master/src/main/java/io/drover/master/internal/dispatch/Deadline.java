package io.drover.master.internal.dispatch;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Schedules what happens when a task's or a job's deadline ({@code timeout_ms} on the wire)
 * passes: one {@link EventLoop#schedule} per deadline, on the dispatch loop.
 */
final class Deadline {
  private Deadline() {}

  /**
   * Calls {@code expire} with {@code "<subject> of 500 ms passed"} (the time as people read it) once {@code timeoutMs} (an
   * unsigned 32-bit count, as on the wire) have passed; the message is built only then.
   */
  static ScheduledFuture<?> after(EventLoop loop, int timeoutMs, String subject, Consumer<String> expire) {
    long ms = Integer.toUnsignedLong(timeoutMs);
    return loop.schedule(() -> expire.accept(subject + " of " + io.drover.protocol.HumanUnits.millis(ms) + " passed"), ms, TimeUnit.MILLISECONDS);
  }
}
