package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import org.junit.jupiter.api.Test;

/** {@link Dispatcher#goAway}: one GOAWAY per connection, and what its connections take after it. */
class GoAwayTest extends DispatcherHarness {
  @Test
  void everyConnectionGetsOneGoAwayItsNewRequestsAreRefusedAndItsTasksStillAnswered() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("before"));
    Sent before = single(tasksSentTo(w));

    dispatcher.goAway("the master is being upgraded");
    dispatcher.goAway("a second reason"); // idempotent: no second frame, the first reason stays
    Response goAway = single(responsesTo(c));
    assertThat(goAway.requestId).isZero();
    assertThat(goAway.status).isEqualTo(Status.GOING_AWAY_VALUE);
    assertThat(goAway.message).isEqualTo("the master is being upgraded");

    submit(c, 2, "echo", bytes("after"));
    Response refused = single(responsesTo(c));
    assertThat(refused.requestId).isEqualTo(2);
    assertThat(refused.status).isEqualTo(Status.SHUTTING_DOWN_VALUE);
    assertThat(refused.message)
        .isEqualTo(
            "this connection is going away (the master is being upgraded): send the request on a new connection");
    assertThat(tasksSentTo(w)).as("nothing ran after the GOAWAY").isEmpty();

    result(w, before.taskId, Status.OK_VALUE, "", bytes("BEFORE"));
    Response answer = single(responsesTo(c));
    assertThat(answer.requestId).isEqualTo(1);
    assertThat(answer.body).isEqualTo(bytes("BEFORE"));
    assertThat(dispatcher.metricsNow().goAwaysSent()).isEqualTo(1);
  }

  @Test
  void aConnectionAcceptedAfterTheGoAwayGetsOneAtOnce() {
    connectWorker(1, 4, "echo");
    dispatcher.goAway("the master is shutting down");
    Client late = connectClient(); // an accept that raced the listener's close
    Response goAway = single(responsesTo(late));
    assertThat(goAway.requestId).isZero();
    assertThat(goAway.status).isEqualTo(Status.GOING_AWAY_VALUE);
    assertThat(goAway.message).isEqualTo("the master is shutting down");
    submit(late, 1, "echo", bytes("x"));
    assertThat(single(responsesTo(late)).status).isEqualTo(Status.SHUTTING_DOWN_VALUE);
  }
}
