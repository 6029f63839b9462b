package io.drover.client.internal;

import io.netty.channel.EventLoop;
import io.netty.util.collection.LongObjectHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The timeouts of a connection's requests, without a timer per request: requests with the same
 * timeout form a lane, a list linked through the requests themselves, in the order of their
 * deadlines (the order they were written in, which starts their clocks). Each lane keeps one
 * timer, armed for a deadline no later than its first request's; when it fires it expires the
 * requests whose deadline has passed and re-arms for the next. A request answered in time is
 * unlinked, at no cost to the timer, which finds a later first request when it fires. Scheduling
 * and cancelling a Netty timer per request cost a priority-queue insertion and removal and an
 * object each; a lane costs two field writes. Used on the event loop only.
 */
final class TaskTimeouts {
  private final EventLoop loop;
  private final Consumer<PendingTask<?>> expired;
  /** Lanes by timeout in nanoseconds; few: most requests share the client's default. */
  private final LongObjectHashMap<Lane> lanes = new LongObjectHashMap<>(4);
  /** The lane used last, to skip the lookup for a run of requests with the same timeout. */
  private Lane last;

  /** Timeouts armed on {@code loop}; a request whose deadline passes goes to {@code expired}. */
  TaskTimeouts(EventLoop loop, Consumer<PendingTask<?>> expired) {
    this.loop = loop;
    this.expired = expired;
  }

  /** Watches {@code task}'s deadline ({@link PendingTask#deadlineNanos}, its timeout &gt; 0). */
  void add(PendingTask<?> task) {
    Lane lane = last;
    if (lane == null || lane.timeoutNanos != task.timeoutNanos) {
      lane = lanes.get(task.timeoutNanos);
      if (lane == null) {
        lane = new Lane(task.timeoutNanos);
        lanes.put(task.timeoutNanos, lane);
      }
      last = lane;
    }
    lane.add(task);
  }

  /** Stops watching {@code task}, if it is watched (by any connection's timeouts). */
  static void remove(PendingTask<?> task) {
    Lane lane = task.timeoutLane;
    if (lane != null) {
      lane.unlink(task);
    }
  }

  /** One timeout's requests, earliest deadline first, and their timer. */
  final class Lane implements Runnable {
    final long timeoutNanos;
    private PendingTask<?> head;
    private PendingTask<?> tail;
    /** Whether the timer is armed; {@link #armedFor} is then when it fires. */
    private boolean armed;
    private long armedFor;

    Lane(long timeoutNanos) {
      this.timeoutNanos = timeoutNanos;
    }

    void add(PendingTask<?> task) {
      task.timeoutLane = this;
      // Usually last: clocks start in the order requests are written. A request moved from
      // another connection keeps its earlier deadline and goes further forward.
      PendingTask<?> after = tail;
      while (after != null && after.deadlineNanos - task.deadlineNanos > 0) {
        after = after.prevTimeout;
      }
      task.prevTimeout = after;
      task.nextTimeout = after == null ? head : after.nextTimeout;
      if (after == null) {
        head = task;
      } else {
        after.nextTimeout = task;
      }
      if (task.nextTimeout == null) {
        tail = task;
      } else {
        task.nextTimeout.prevTimeout = task;
      }
      if (!armed || task.deadlineNanos - armedFor < 0) {
        arm(task.deadlineNanos, System.nanoTime());
      }
    }

    void unlink(PendingTask<?> task) {
      PendingTask<?> prev = task.prevTimeout;
      PendingTask<?> next = task.nextTimeout;
      if (prev == null) {
        head = next;
      } else {
        prev.nextTimeout = next;
      }
      if (next == null) {
        tail = prev;
      } else {
        next.prevTimeout = prev;
      }
      task.prevTimeout = null;
      task.nextTimeout = null;
      task.timeoutLane = null;
    }

    private void arm(long deadlineNanos, long now) {
      armed = true;
      armedFor = deadlineNanos;
      // An earlier timer left armed fires too, finds nothing due and re-arms no earlier: harmless.
      loop.schedule(this, Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS);
    }

    /** The timer fired. */
    @Override
    public void run() {
      long now = System.nanoTime();
      if (armed && armedFor - now > 0) {
        return; // a stale timer: a later one is armed for an earlier-added request's deadline
      }
      armed = false;
      PendingTask<?> task;
      while ((task = head) != null && task.deadlineNanos - now <= 0) {
        unlink(task);
        expired.accept(task);
      }
      if (head != null) {
        arm(head.deadlineNanos, now);
      } else if (lanes.get(timeoutNanos) == this) {
        lanes.remove(timeoutNanos); // an idle timeout costs nothing
        if (last == this) {
          last = null;
        }
      }
    }
  }
}
