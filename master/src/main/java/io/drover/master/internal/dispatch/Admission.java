package io.drover.master.internal.dispatch;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the master takes in: refuses everything once shutting down, bounds the tasks
 * waiting in the master (by count and by the memory they hold), and pauses reading from a
 * connection with too many tasks in flight or, under {@code QueueFullPolicy.PAUSE}, from the
 * connections that keep sending into a full queue.
 *
 * <p>A waiting task must hold no more memory than it is counted for. A task's payload is a slice
 * of the buffer its frame was read into, and a slice keeps that whole buffer alive: a queue of
 * 100,000 one-byte tasks, each the last live frame of a 64 KiB read, would hold 6 GiB while
 * counting 100 KB. So a waiting payload that pins more than twice its own size is copied into a
 * buffer of its own when it is queued; payloads sent straight to a worker are never copied.
 */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  private int queued;
  private long queuedBytes;
  private int maxQueuedTasks = 100_000;
  private long maxQueuedBytes = 256L * 1024 * 1024;
  private int maxInFlightPerConnection = 10_000;
  private boolean pauseWhenQueueFull;
  private boolean shuttingDown;
  private long overloadLoggedAtNanos;
  /** Connections paused because the queue was full, resumed together once it drains. */
  private final List<ClientSession> pausedForQueue = new ArrayList<>();
  /** Called when a tenant paused at its in-flight limit has room again (its held requests go on). */
  private java.util.function.Consumer<Tenant> tenantHasRoom = t -> {};

  void onTenantRoom(java.util.function.Consumer<Tenant> action) {
    this.tenantHasRoom = action;
  }

  /** See {@link Dispatcher#limits}. */
  void limits(int maxQueuedTasks, long maxQueuedBytes, int maxInFlightPerConnection) {
    this.maxQueuedTasks = maxQueuedTasks;
    this.maxQueuedBytes = maxQueuedBytes;
    this.maxInFlightPerConnection = maxInFlightPerConnection;
  }

  void pauseWhenQueueFull(boolean pause) {
    this.pauseWhenQueueFull = pause;
  }

  int maxQueuedTasks() {
    return maxQueuedTasks;
  }

  void beginShutdown() {
    shuttingDown = true;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  /** Tasks waiting in the master for a worker. */
  int queued() {
    return queued;
  }

  /** Payload bytes of the tasks waiting in the master. */
  long queuedBytes() {
    return queuedBytes;
  }

  // ---- per connection ----

  /** Counts {@code n} more tasks in flight on {@code client}, pausing its reading at the limit. */
  void accepted(ClientSession client, int n) {
    Tenant tenant = client.tenant;
    if (tenant != null) {
      tenantAccepted(tenant, n);
    }
    client.inFlight += n;
    if (client.inFlight >= maxInFlightPerConnection && !client.pausedForInFlight) {
      client.pausedForInFlight = true;
      client.updateReading();
    }
  }

  /** One of {@code client}'s tasks completed; reading resumes once half of the limit is free. */
  void released(ClientSession client) {
    Tenant tenant = client.tenant;
    if (tenant != null) {
      tenantReleased(tenant);
    }
    client.inFlight--;
    if (client.pausedForInFlight && client.inFlight <= maxInFlightPerConnection / 2) {
      client.pausedForInFlight = false;
      client.updateReading();
    }
  }

  // ---- per tenant: its in-flight limit is backpressure on all its connections ----

  private static void tenantAccepted(Tenant tenant, int n) {
    tenant.inFlight += n;
    tenant.submitted += n;
    if (!tenant.paused && tenant.atLimit()) {
      tenant.paused = true;
      for (ClientSession c : tenant.sessions) {
        c.updateReading();
      }
    }
  }

  private void tenantReleased(Tenant tenant) {
    tenant.inFlight--;
    tenant.completed++;
    if (tenant.paused && !tenant.atLimit()) {
      if (tenant.holding.isEmpty()) {
        resumeIfRoom(tenant);
      } else {
        tenantHasRoom.accept(tenant); // its held requests first: they arrived before the socket's
      }
    }
  }

  /** Reads a paused tenant's connections again once it is below its limit and holds nothing. */
  void resumeIfRoom(Tenant tenant) {
    if (tenant.paused && !tenant.atLimit() && tenant.holding.isEmpty()) {
      tenant.paused = false;
      for (ClientSession c : tenant.sessions) {
        c.updateReading();
      }
    }
  }

  void clientGone(ClientSession client) {
    pausedForQueue.remove(client);
  }

  // ---- the queue ----

  /**
   * A task found no worker with room: true to queue it; false to refuse it, and the caller answers
   * {@code OVERLOADED} with {@link #overloadedMessage}. A job's subtasks are never refused here
   * (the job was admitted whole, see {@link #refusal}); under the pause policy the sender is paused.
   */
  boolean mayQueue(Task task) {
    Tenant tenant = task.client.tenant;
    if (hasRoom(1, task.payload.readableBytes())
        && (tenant == null || tenant.waiting < tenant.maxWaiting(maxQueuedTasks))) {
      return true;
    }
    if (pauseWhenQueueFull) {
      pauseForQueue(task.client);
      return true;
    }
    return task.job != null;
  }

  /** Why {@code task} was refused: its tenant's share of the queue, or the queue itself. */
  String overloadedMessage(Task task) {
    Tenant tenant = task.client.tenant;
    if (tenant != null && tenant.waiting >= tenant.maxWaiting(maxQueuedTasks)) {
      return "tenant " + tenant.name + " has its share of the master's queue waiting (" + tenant.waiting
          + " tasks); retry later";
    }
    return overloadedMessage();
  }

  /** Why a task was refused; logs the refusal at most once a second. */
  String overloadedMessage() {
    long now = System.nanoTime();
    if (now - overloadLoggedAtNanos > 1_000_000_000L) {
      overloadLoggedAtNanos = now;
      log.warn("queue full ({} tasks, {} bytes waiting): answering new tasks OVERLOADED", queued, queuedBytes);
    }
    return "the master's queue is full (" + queued + " tasks, " + queuedBytes + " bytes waiting); retry later";
  }

  /**
   * Null when the queue could take {@code tasks} more tasks and {@code bytes} more payload (what a
   * job needs to be admitted), else why not; under the pause policy always null, and the client
   * is paused when they do not fit.
   */
  String refusal(ClientSession client, int tasks, long bytes) {
    if (hasRoom(tasks, bytes)) {
      return null;
    }
    if (pauseWhenQueueFull) {
      pauseForQueue(client);
      return null;
    }
    return "the master's queue has no room for " + tasks + " more tasks (" + queued + " of "
        + maxQueuedTasks + " tasks, " + queuedBytes + " of " + maxQueuedBytes + " bytes waiting)";
  }

  private boolean hasRoom(int tasks, long bytes) {
    return queued + tasks <= maxQueuedTasks && queuedBytes + bytes <= maxQueuedBytes;
  }

  /**
   * {@code task} goes into a queue: it is counted. Its payload, a slice of the buffer its frame
   * was read into, still pins that buffer; {@link #compact} copies it out if it waits long.
   */
  void queued(Task task) {
    int bytes = task.payload.readableBytes();
    queued++;
    queuedBytes += bytes;
    Tenant tenant = task.client.tenant;
    if (tenant != null) {
      tenant.waiting++;
    }
  }

  /**
   * Copies {@code task}'s payload into a buffer of its own if the buffer it was read into, which
   * it keeps from being freed, is more than twice its size: so that the queue bound, which counts
   * payload bytes, counts the memory that waiting tasks hold. Done for tasks that wait on
   * ({@link Dispatcher}'s sweep, once a second), not as each task is queued: with thousands of
   * tasks in flight most wait a millisecond, and the copy cost them a pooled allocation and a free
   * each (8% of the dispatch loop with 2,048 tasks in flight).
   *
   * @return whether it copied
   */
  static boolean compact(Task task) {
    ByteBuf payload = task.payload;
    ByteBuf pinned = payload.unwrap();
    int bytes = payload.readableBytes();
    if (pinned == null || pinned.capacity() <= 2L * bytes) {
      return false;
    }
    ByteBuf own = payload.alloc().buffer(bytes, bytes);
    own.writeBytes(payload, payload.readerIndex(), bytes);
    payload.release();
    task.payload = own;
    return true;
  }

  /** {@code task} left its queue. */
  void dequeued(Task task) {
    queued--;
    queuedBytes -= task.payload.readableBytes();
    Tenant tenant = task.client.tenant;
    if (tenant != null) {
      tenant.waiting--;
    }
  }

  /** After tasks left the queue: resumes the paused connections once it is below 90% of its bounds. */
  void afterDequeue() {
    if (!pausedForQueue.isEmpty()
        && queued <= maxQueuedTasks - maxQueuedTasks / 10
        && queuedBytes <= maxQueuedBytes - maxQueuedBytes / 10) {
      for (ClientSession c : pausedForQueue) {
        c.pausedForQueue = false;
        c.updateReading();
      }
      pausedForQueue.clear();
    }
  }

  private void pauseForQueue(ClientSession client) {
    if (!client.pausedForQueue) {
      if (pausedForQueue.isEmpty()) {
        log.info("queue full ({} tasks, {} bytes waiting): pausing the connections that send more", queued, queuedBytes);
      }
      client.pausedForQueue = true;
      pausedForQueue.add(client);
      client.updateReading();
    }
  }
}
