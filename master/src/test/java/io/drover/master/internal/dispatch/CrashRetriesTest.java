package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retries after worker crashes, and how tasks waiting for an isolated last attempt are bounded. */
class CrashRetriesTest extends DispatcherHarness {

  /** Submits {@code n} tasks and lets two workers die under them: each then waits for its last attempt. */
  private List<Long> tasksWaitingForTheirLastAttempt(Client c, int n, int firstRequestId) {
    Worker w1 = connectWorker(1, n, "poison");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      submit(c, firstRequestId + i, "poison", bytes("p" + i));
      ids.add((long) firstRequestId + i);
    }
    assertThat(tasksSentTo(w1)).hasSize(n);
    Worker w2 = connectWorker(2, n, "poison");
    disconnect(w1);
    assertThat(tasksSentTo(w2)).hasSize(n).allMatch(s -> s.attempt == 2);
    disconnect(w2);
    return ids;
  }

  @Test
  void tasksWaitingForAnIsolatedLastAttemptCountTowardsTheQueueBound() {
    dispatcher = newDispatcher(100);
    dispatcher.limits(3, 1 << 20, 10_000);
    Client c = connectClient();
    tasksWaitingForTheirLastAttempt(c, 3, 1);

    assertThat(dispatcher.queued()).isEqualTo(3);
    assertThat(dispatcher.tasksInProgress()).isEqualTo(3);
    // A task that has to wait (its only worker's socket is backed up) finds the queue full.
    Worker other = connectWorker(5, 4, "other");
    dispatcher.workerPort().writabilityChanged(other.session, false);
    submit(c, 99, "other", bytes("newcomer"));
    Response r = single(responsesTo(c));
    assertThat(r.requestId).isEqualTo(99);
    assertThat(r.status).isEqualTo(Status.OVERLOADED_VALUE);
  }

  @Test
  void onAPoolOfOneOrdinaryTasksRunBetweenIsolatedLastAttempts() {
    dispatcher = newDispatcher(4);
    Client c = connectClient();
    tasksWaitingForTheirLastAttempt(c, 3, 1);
    Worker w = connectWorker(3, 4, "poison");
    for (int i = 0; i < 4; i++) {
      submit(c, 100 + i, "poison", bytes("ordinary" + i));
    }
    Sent first = single(tasksSentTo(w));
    assertThat(first.attempt).as("a last attempt, alone").isEqualTo(3);

    result(w, first.taskId, Status.OK_VALUE, "", first.payload);
    List<Sent> next = tasksSentTo(w);
    assertThat(next).as("ordinary tasks run before the next isolated one").isNotEmpty().allMatch(s -> s.attempt == 1);
    for (Sent s : next) {
      result(w, s.taskId, Status.OK_VALUE, "", s.payload);
    }
    List<Sent> after = tasksSentTo(w);
    assertThat(after).isNotEmpty();
    assertThat(after.get(0).attempt).as("then the next last attempt").isEqualTo(3);
    finishAll(w, after);
    assertThat(responsesTo(c)).hasSize(7).allMatch(r -> r.status == Status.OK_VALUE);
  }

  @Test
  void beyondTheBoundALastAttemptRunsWithoutIsolation() {
    int n = CrashRetries.MAX_WAITING_FOR_ISOLATION + 2;
    dispatcher = newDispatcher(n);
    Client c = connectClient();
    Worker w1 = connectWorker(1, n, "poison");
    for (int i = 0; i < n; i++) {
      submit(c, i, "poison", bytes("p" + i));
    }
    assertThat(tasksSentTo(w1)).hasSize(n);
    Worker w2 = connectWorker(2, n, "poison");
    disconnect(w1);
    assertThat(tasksSentTo(w2)).hasSize(n);
    Worker w3 = connectWorker(3, n, "poison");
    Worker w4 = connectWorker(4, n, "poison");
    disconnect(w2);

    List<Sent> sent = new ArrayList<>(tasksSentTo(w3));
    sent.addAll(tasksSentTo(w4));
    assertThat(sent)
        .as("the two over the bound get their last attempt at once, not alone")
        .hasSize(2)
        .allMatch(s -> s.attempt == MAX_ATTEMPTS);
    assertThat(dispatcher.queued()).isEqualTo(CrashRetries.MAX_WAITING_FOR_ISOLATION);
    result(w3, sent.get(0).taskId, Status.OK_VALUE, "", sent.get(0).payload);
    result(w4, sent.get(1).taskId, Status.OK_VALUE, "", sent.get(1).payload);
    List<Sent> isolated = new ArrayList<>(tasksSentTo(w3));
    isolated.addAll(tasksSentTo(w4));
    assertThat(single(isolated).attempt).isEqualTo(MAX_ATTEMPTS);
    assertThat(dispatcher.queued()).isEqualTo(CrashRetries.MAX_WAITING_FOR_ISOLATION - 1);
  }

  /** Answers every task sent to {@code w}, and whatever it is sent next, until nothing more comes. */
  private void finishAll(Worker w, List<Sent> sent) {
    while (!sent.isEmpty()) {
      for (Sent s : sent) {
        result(w, s.taskId, Status.OK_VALUE, "", s.payload);
      }
      sent = tasksSentTo(w);
    }
  }
}
