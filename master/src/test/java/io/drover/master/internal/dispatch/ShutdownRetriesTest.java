package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What happens to tasks when workers go away once shutdown has begun: no worker is started any
 * more, so nothing may wait for one, and no task is run a second time.
 */
class ShutdownRetriesTest extends DispatcherHarness {

  @Test
  void aTaskWhoseWorkerDiesDuringShutdownIsNotRunAgainEvenWithAWorkerLeft() {
    dispatcher = newDispatcher(8);
    Client c = connectClient();
    Worker dying = connectWorker(1, 4, "t");
    Worker survivor = connectWorker(2, 4, "t");
    submit(c, 1, "t", bytes("a"));
    submit(c, 2, "t", bytes("b"));
    List<Sent> onDying = tasksSentTo(dying);
    List<Sent> onSurvivor = tasksSentTo(survivor);
    assertThat(onDying).hasSize(1);
    assertThat(onSurvivor).hasSize(1);

    dispatcher.beginShutdown();
    disconnect(dying);

    assertThat(tasksSentTo(survivor)).as("sent again").isEmpty();
    Response crashed = single(responsesTo(c));
    assertThat(crashed.status).isEqualTo(Status.WORKER_CRASHED_VALUE);
    assertThat(crashed.attempts).isEqualTo(1);
    assertThat(crashed.message).contains("during the master's shutdown");
    // The survivor's task finishes as usual.
    result(survivor, onSurvivor.get(0).taskId, Status.OK_VALUE, "", onSurvivor.get(0).payload);
    assertThat(single(responsesTo(c)).status).isEqualTo(Status.OK_VALUE);
    assertThat(dispatcher.tasksInProgress()).isZero();
  }

  /** Request 1 runs on {@code w} (capacity 1) and request 2 waits behind it in the master. */
  private void oneRunningOneWaiting(Client c, Worker w) {
    submit(c, 1, "t", bytes("running"));
    submit(c, 2, "t", bytes("waiting"));
    assertThat(tasksSentTo(w)).hasSize(1);
    assertThat(dispatcher.queued()).isEqualTo(1);
  }

  /** The task that ran got WORKER_CRASHED, the one that never ran SHUTTING_DOWN; nothing is left. */
  private void crashedAndRefused(Client c) {
    List<Response> answers = responsesTo(c);
    assertThat(answers).extracting(r -> r.requestId).containsExactlyInAnyOrder(1L, 2L);
    for (Response r : answers) {
      if (r.requestId == 1) {
        assertThat(r.status).isEqualTo(Status.WORKER_CRASHED_VALUE);
      } else {
        assertThat(r.status).as("it never ran").isEqualTo(Status.SHUTTING_DOWN_VALUE);
        assertThat(r.attempts).isZero();
        assertThat(r.message).contains("no worker serving 't' is left");
      }
    }
    assertThat(dispatcher.tasksInProgress()).isZero();
  }

  @Test
  void tasksWaitingForATypeWhoseLastWorkerDiesDuringShutdownAreAnsweredAtOnce() {
    dispatcher = newDispatcher(1);
    Client c = connectClient();
    Worker w = connectWorker(1, 1, "t");
    oneRunningOneWaiting(c, w);
    dispatcher.beginShutdown();
    assertThat(responsesTo(c)).as("a worker still serves it: it waits").isEmpty();

    disconnect(w);

    crashedAndRefused(c);
  }

  @Test
  void tasksWaitingWhenShutdownBeginsForATypeWithNoWorkerLeftAreAnsweredAtOnce() {
    dispatcher = newDispatcher(1);
    Client c = connectClient();
    Worker w = connectWorker(1, 1, "t");
    oneRunningOneWaiting(c, w);
    disconnect(w); // its only worker crashed before shutdown (restarting, say): both wait
    assertThat(dispatcher.queued()).isEqualTo(2);
    assertThat(responsesTo(c)).isEmpty();

    dispatcher.beginShutdown();

    crashedAndRefused(c);
  }

  @Test
  void beforeShutdownATaskWhoseWorkerDiesIsStillRetried() {
    dispatcher = newDispatcher(8);
    Client c = connectClient();
    Worker dying = connectWorker(1, 4, "t");
    submit(c, 1, "t", bytes("a"));
    assertThat(tasksSentTo(dying)).hasSize(1);
    Worker survivor = connectWorker(2, 4, "t");
    disconnect(dying);
    assertThat(single(tasksSentTo(survivor)).attempt).isEqualTo(2);
    assertThat(responsesTo(c)).isEmpty();
  }
}
