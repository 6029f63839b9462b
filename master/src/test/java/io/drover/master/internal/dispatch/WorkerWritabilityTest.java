package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import org.junit.jupiter.api.Test;

/** A worker whose socket is backed up (past its high water mark) gets no new tasks until it drains. */
class WorkerWritabilityTest extends DispatcherHarness {

  @Test
  void aBackedUpWorkerIsPassedOverAndRefilledWhenItDrains() {
    Worker slow = connectWorker(1, 4, "echo");
    Worker fast = connectWorker(2, 4, "echo");
    Client c = connectClient();
    dispatcher.workerPort().writabilityChanged(slow.session, false);

    for (int i = 1; i <= 3; i++) {
      submit(c, i, "echo", bytes("t" + i));
    }
    assertThat(tasksSentTo(slow)).isEmpty();
    assertThat(tasksSentTo(fast)).hasSize(3);
  }

  @Test
  void tasksWaitWhileTheOnlyWorkerIsBackedUpAndGoWhenItIsWritableAgain() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();
    dispatcher.workerPort().writabilityChanged(w.session, false);
    submit(c, 1, "echo", bytes("waits"));
    assertThat(tasksSentTo(w)).isEmpty();
    assertThat(dispatcher.queued()).isEqualTo(1);

    dispatcher.workerPort().writabilityChanged(w.session, true);
    Sent sent = single(tasksSentTo(w));
    assertThat(dispatcher.queued()).isZero();
    result(w, sent.taskId, Status.OK_VALUE, "", sent.payload);
    assertThat(single(responsesTo(c)).status).isEqualTo(Status.OK_VALUE);
  }
}
