package io.drover.master.internal.dispatch;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The tasks of one type waiting for a worker, served round-robin across client connections: each
 * poll takes the next connection's oldest task, so a connection that floods the master with tasks
 * delays another's by at most one task per turn instead of by its whole backlog. Within one
 * connection the order is FIFO, except that retried tasks go to the front.
 *
 * <p>A connection's lane stays when it empties, so a connection whose tasks keep queueing and
 * draining costs no allocation; it goes once the connection has closed ({@link #forget}, or the
 * poll that empties it).
 *
 * <p>Owned by the dispatch event loop.
 */
final class FairQueue {
  /** One connection's waiting tasks. */
  private static final class Lane {
    final ArrayDeque<Task> tasks = new ArrayDeque<>();
  }

  private final Map<ClientSession, Lane> lanes = new IdentityHashMap<>();
  /** Lanes with tasks, in serving order. */
  private final ArrayDeque<Lane> turn = new ArrayDeque<>();
  private int size;

  /** Queues a new task behind its connection's other tasks. */
  void addLast(Task task) {
    Lane lane = laneOf(task.client);
    if (lane.tasks.isEmpty()) {
      turn.addLast(lane);
    }
    lane.tasks.addLast(task);
    size++;
  }

  /** Queues a retried task ahead of its connection's other tasks, and its connection first. */
  void addFirst(Task task) {
    Lane lane = laneOf(task.client);
    if (lane.tasks.isEmpty()) {
      turn.addFirst(lane);
    } else {
      turn.remove(lane);
      turn.addFirst(lane);
    }
    lane.tasks.addFirst(task);
    size++;
  }

  /** The next task in turn, or null when none waits. */
  Task poll() {
    Lane lane = turn.pollFirst();
    if (lane == null) {
      return null;
    }
    Task task = lane.tasks.pollFirst();
    size--;
    if (!lane.tasks.isEmpty()) {
      turn.addLast(lane);
    } else if (!task.client.open) {
      lanes.remove(task.client);
    }
    return task;
  }

  /** Calls {@code action} with every waiting task. */
  void forEach(java.util.function.Consumer<Task> action) {
    for (Lane lane : turn) {
      lane.tasks.forEach(action);
    }
  }

  /** Drops a closed connection's lane if it is empty (else the poll that empties it will). */
  void forget(ClientSession client) {
    Lane lane = lanes.get(client);
    if (lane != null && lane.tasks.isEmpty()) {
      lanes.remove(client);
    }
  }

  /** Connections with a lane, empty or not (for tests). */
  int lanes() {
    return lanes.size();
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  private Lane laneOf(ClientSession client) {
    return lanes.computeIfAbsent(client, c -> new Lane());
  }
}
