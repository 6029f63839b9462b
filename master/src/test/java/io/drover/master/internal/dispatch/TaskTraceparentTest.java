package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task's traceparent through the dispatcher: forwarded byte for byte in the TASK header, still
 * there after the task waited in the master (its frame compacted) and after a crash re-dispatch,
 * absent for a task without one and for one whose traceparent was malformed.
 */
class TaskTraceparentTest extends DispatcherHarness {
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void theTraceparentReachesTheWorkerOnlyForTheTaskThatCarriesOne() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();

    submitTraced(c, 1, "echo", bytes("traced"), TRACEPARENT);
    submit(c, 2, "echo", bytes("plain"));
    submitTraced(c, 3, "echo", bytes("malformed"), "01" + TRACEPARENT.substring(2));

    List<Sent> sent = tasksSentTo(w);
    assertThat(sent).extracting(s -> s.traceparent).containsExactly(TRACEPARENT, "", "");
    assertThat(sent).extracting(s -> new String(s.payload)).containsExactly("traced", "plain", "malformed");
  }

  @Test
  void theTraceparentSurvivesWaitingInTheMasterAndACrashRedispatch() {
    dispatcher = newDispatcher(1);
    Worker first = connectWorker(1, 1, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("first"));
    submitTraced(c, 2, "echo", bytes("waits"), TRACEPARENT);
    Sent running = single(tasksSentTo(first));
    assertThat(dispatcher.queued()).isEqualTo(1);
    // The once-a-second sweep copies the waiting payload out of the buffer it was read into.
    assertThat(dispatcher.compactWaitingPayloads()).isEqualTo(1);
    assertThat(dispatcher.compactWaitingPayloads()).isZero();

    result(first, running.taskId, Status.OK_VALUE, "", bytes("ok"));
    Sent waited = single(tasksSentTo(first));
    assertThat(waited.traceparent).isEqualTo(TRACEPARENT);
    assertThat(waited.payload).isEqualTo(bytes("waits"));

    Worker second = connectWorker(2, 1, "echo");
    disconnect(first);
    Sent retried = single(tasksSentTo(second));
    assertThat(retried.attempt).isEqualTo(2);
    assertThat(retried.traceparent).isEqualTo(TRACEPARENT);
    assertThat(retried.payload).isEqualTo(bytes("waits"));
  }
}
