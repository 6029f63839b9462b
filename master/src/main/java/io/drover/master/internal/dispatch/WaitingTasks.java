package io.drover.master.internal.dispatch;

/**
 * The tasks of one type waiting for a worker, by priority. While tasks of several priorities
 * wait, every 10 polls serve about 6 high, 3 normal and 1 low (a weighted share), so higher
 * priorities go first without starving lower ones; within a priority, connections take turns
 * ({@link FairQueue}).
 *
 * <p>Owned by the dispatch event loop.
 */
final class WaitingTasks {
  static final int NORMAL = 0;
  static final int HIGH = 1;
  static final int LOW = 2;

  /** Which priority each of ten polls prefers: 6 high, 3 normal, 1 low, interleaved. */
  private static final int[] TURNS = {HIGH, NORMAL, HIGH, HIGH, NORMAL, HIGH, LOW, HIGH, NORMAL, HIGH};
  /** When the preferred priority has nothing waiting: the others, highest first. */
  private static final int[] BY_RANK = {HIGH, NORMAL, LOW};

  private final FairQueue[] queues = {new FairQueue(), new FairQueue(), new FairQueue()};
  private int turn;
  private int size;

  /** Queues a new task behind others of its priority. */
  void addLast(Task task) {
    queues[task.priority].addLast(task);
    size++;
  }

  /** Lets go of a closed connection's empty lanes. */
  void forget(ClientSession client) {
    for (FairQueue q : queues) {
      q.forget(client);
    }
  }

  /** Queues a retried task ahead of others of its priority. */
  void addFirst(Task task) {
    queues[task.priority].addFirst(task);
    size++;
  }

  /** The next task to serve, or null when none waits. */
  Task poll() {
    if (size == 0) {
      return null;
    }
    int preferred = TURNS[turn];
    turn = (turn + 1) % TURNS.length;
    Task task = queues[preferred].poll();
    for (int i = 0; task == null && i < BY_RANK.length; i++) {
      task = queues[BY_RANK[i]].poll();
    }
    size--;
    return task;
  }

  /** Calls {@code action} with every waiting task. */
  void forEach(java.util.function.Consumer<Task> action) {
    for (FairQueue q : queues) {
      q.forEach(action);
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Tasks waiting with {@code priority} ({@link #HIGH}, {@link #NORMAL} or {@link #LOW}). */
  int size(int priority) {
    return queues[priority].size();
  }

  /** The priority to keep for a request's priority number; unknown values count as normal. */
  static byte of(int requested) {
    return (byte) (requested == HIGH || requested == LOW ? requested : NORMAL);
  }
}
