package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.WorkerCommandCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A handler that goes on after its task was cancelled gets its worker recycled. */
class StuckHandlerTest extends DispatcherHarness {
  private static final long GRACE_MS = 500;

  @BeforeEach
  void withGrace() {
    loop.freezeTime();
    dispatcher.cancelGraceMillis(GRACE_MS);
  }

  private void passMillis(long ms) {
    loop.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    loop.runScheduledPendingTasks();
    loop.runPendingTasks();
  }

  @Test
  void aHandlerStillRunningAGracePeriodAfterItsCancelGetsItsWorkerRecycled() {
    Worker w = connectWorker(1, 4, "hang");
    Client c = connectClient();
    submit(c, 7, "hang", bytes("forever"));
    long taskId = single(tasksSentTo(w)).taskId;

    dispatcher.clientPort().cancel(c.session, 7);
    assertThat(single(responsesTo(c)).status).isEqualTo(Status.CANCELLED_VALUE);
    assertThat(single(tasksSentTo(w)).kind).isEqualTo(WorkerCommandCodec.KIND_CANCEL);
    passMillis(GRACE_MS - 1);
    assertThat(registry.recycled).as("still within the grace").isEmpty();

    passMillis(1);
    assertThat(registry.recycled)
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("worker 1", "task " + taskId, "ignored its cancellation for 500 ms");
    assertThat(w.channel.isOpen()).as("it still serves until its replacement is ready").isTrue();

    // The replacement registered: the supervisor drains the old worker, which holds nothing else.
    dispatcher.drain(1001);
    loop.runPendingTasks();
    assertThat(w.channel.isOpen()).as("a worker holding only stuck tasks is let go").isFalse();
  }

  @Test
  void aStuckWorkersOtherTasksFinishBeforeItIsLetGo() {
    Worker w = connectWorker(1, 4, "hang", "echo");
    Client c = connectClient();
    submit(c, 1, "hang", bytes("forever"));
    submit(c, 2, "echo", bytes("slow but fine"));
    List<Sent> sent = tasksSentTo(w);
    dispatcher.clientPort().cancel(c.session, 1);
    passMillis(GRACE_MS);
    assertThat(registry.recycled).hasSize(1);

    dispatcher.drain(1001);
    loop.runPendingTasks();
    assertThat(w.channel.isOpen()).as("the echo task is still running").isTrue();
    result(w, sent.get(1).taskId, Status.OK_VALUE, "", bytes("done"));
    assertThat(w.channel.isOpen()).isFalse();
    assertThat(responsesTo(c)).extracting(r -> r.requestId).containsExactly(1L, 2L);
  }

  @Test
  void aHandlerThatStopsWithinTheGraceLeavesItsWorkerAlone() {
    Worker w = connectWorker(1, 4, "hang");
    Client c = connectClient();
    submit(c, 7, "hang", bytes("briefly"));
    long taskId = single(tasksSentTo(w)).taskId;
    dispatcher.clientPort().cancel(c.session, 7);
    result(w, taskId, Status.CANCELLED_VALUE, "interrupted", bytes(""));
    passMillis(GRACE_MS * 2);
    assertThat(registry.recycled).isEmpty();
    assertThat(w.channel.isOpen()).isTrue();
  }

  @Test
  void aDeadlineCountsLikeACancel() {
    Worker w = connectWorker(1, 4, "hang");
    Client c = connectClient();
    submitWithDeadline(c, 7, "hang", bytes("forever"), 100);
    tasksSentTo(w);
    passMillis(100);
    assertThat(single(responsesTo(c)).status).isEqualTo(Status.DEADLINE_EXCEEDED_VALUE);
    passMillis(GRACE_MS);
    assertThat(registry.recycled).hasSize(1);
  }
}
