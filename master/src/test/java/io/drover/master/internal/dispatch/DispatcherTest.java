package io.drover.master.internal.dispatch;
import static org.assertj.core.api.Assertions.assertThat;
import io.drover.master.internal.schedule.LeastLoadedScheduler;
import io.drover.master.testing.LogCapture;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.drover.master.internal.transport.BatchFlusher;
import io.drover.master.internal.transport.OutboundBatch;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dispatcher's task path end to end, through {@link DispatcherHarness}. */
class DispatcherTest extends DispatcherHarness {
  // ---- tests ----

  @Test
  void aSubmittedTaskReachesTheWorkerWithTheSamePayloadAndAttemptOne() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();

    submit(c, 17, "echo", bytes("hello worker"));

    List<Sent> sent = tasksSentTo(w);
    assertThat(sent).hasSize(1);
    Sent task = sent.get(0);
    assertThat(task.kind).isEqualTo(WorkerCommandCodec.KIND_TASK);
    assertThat(task.type).isEqualTo("echo");
    assertThat(task.attempt).isEqualTo(1);
    assertThat(task.payload).isEqualTo(bytes("hello worker"));
    assertThat(responsesTo(c)).isEmpty();
    assertThat(dispatcher.tasksInProgress()).isEqualTo(1);
  }

  @Test
  void aLargePayloadReachesTheWorkerUnchanged() {
    Worker w = connectWorker(1, 4, "sha256");
    Client c = connectClient();
    byte[] payload = new byte[OutboundBatch.COPY_THRESHOLD * 3 + 5];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31 + 7);
    }

    submit(c, 1, "sha256", payload);

    Sent task = single(tasksSentTo(w));
    assertThat(task.payload).isEqualTo(payload);

    // The large result travels back unchanged too.
    result(w, task.taskId, Status.OK_VALUE, "", payload);
    Response r = single(responsesTo(c));
    assertThat(r.body).isEqualTo(payload);
  }

  @Test
  void aResultGoesBackToTheClientThatAskedWithItsRequestId() {
    Worker w = connectWorker(1, 4, "echo");
    Client alice = connectClient();
    Client bob = connectClient();

    submit(alice, 5, "echo", bytes("from alice"));
    submit(bob, 5, "echo", bytes("from bob")); // request ids are per connection
    submit(bob, 6, "echo", bytes("bob again"));
    List<Sent> sent = tasksSentTo(w);
    assertThat(sent).extracting(s -> new String(s.payload, StandardCharsets.UTF_8))
        .containsExactly("from alice", "from bob", "bob again");
    assertThat(sent).extracting(s -> s.taskId).doesNotHaveDuplicates();

    // Answer out of order, one of them as a handler error with a message.
    result(w, sent.get(2).taskId, Status.OK_VALUE, "", bytes("BOB AGAIN"));
    result(w, sent.get(0).taskId, Status.HANDLER_ERROR_VALUE, "boom: ünïcode", bytes(""));
    result(w, sent.get(1).taskId, Status.OK_VALUE, "", bytes("FROM BOB"));

    Response toAlice = single(responsesTo(alice));
    assertThat(toAlice.requestId).isEqualTo(5);
    assertThat(toAlice.status).isEqualTo(Status.HANDLER_ERROR_VALUE);
    assertThat(toAlice.message).isEqualTo("boom: ünïcode");
    assertThat(toAlice.attempts).isEqualTo(1);
    assertThat(toAlice.body).isEmpty();

    List<Response> toBob = responsesTo(bob);
    assertThat(toBob).extracting(r -> r.requestId).containsExactly(6L, 5L);
    assertThat(toBob).extracting(r -> new String(r.body, StandardCharsets.UTF_8))
        .containsExactly("BOB AGAIN", "FROM BOB");
    assertThat(toBob).allSatisfy(r -> assertThat(r.status).isEqualTo(Status.OK_VALUE));
    assertThat(dispatcher.tasksInProgress()).isZero();
    assertThat(dispatcher.workers()).singleElement().satisfies(s -> {
      assertThat(s.completed()).isEqualTo(3);
      assertThat(s.outstanding()).isZero();
    });
  }

  @Test
  void tasksBeyondTheInFlightCapWaitInTheMasterUntilAResultFreesASlot() {
    dispatcher = newDispatcher(2);
    Worker w = connectWorker(1, 1, "echo"); // in-flight cap max(1, 2) = 2
    Client c = connectClient();

    for (int i = 1; i <= 5; i++) {
      submit(c, i, "echo", bytes("task " + i));
    }

    List<Sent> first = tasksSentTo(w);
    assertThat(first).extracting(s -> new String(s.payload, StandardCharsets.UTF_8))
        .containsExactly("task 1", "task 2");
    assertThat(dispatcher.queued()).isEqualTo(3);
    assertThat(dispatcher.tasksInProgress()).isEqualTo(5);

    result(w, first.get(0).taskId, Status.OK_VALUE, "", bytes("done 1"));

    List<Sent> next = tasksSentTo(w);
    assertThat(next).extracting(s -> new String(s.payload, StandardCharsets.UTF_8))
        .containsExactly("task 3");
    assertThat(next.get(0).attempt).isEqualTo(1);
    assertThat(dispatcher.queued()).isEqualTo(2);
    assertThat(dispatcher.tasksInProgress()).isEqualTo(4);
    assertThat(single(responsesTo(c)).requestId).isEqualTo(1);
  }

  @Test
  void theInFlightCapIsNeverBelowTheWorkersCapacity() {
    dispatcher = newDispatcher(2);
    Worker w = connectWorker(1, 5, "echo");
    Client c = connectClient();
    for (int i = 1; i <= 7; i++) {
      submit(c, i, "echo", bytes("t"));
    }
    assertThat(tasksSentTo(w)).hasSize(5);
    assertThat(dispatcher.queued()).isEqualTo(2);
  }

  @Test
  void waitingTasksGoToAWorkerThatRegistersLater() {
    dispatcher = newDispatcher(1);
    Worker busy = connectWorker(1, 1, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("a"));
    submit(c, 2, "echo", bytes("b"));
    assertThat(tasksSentTo(busy)).hasSize(1);

    Worker fresh = connectWorker(2, 1, "echo");

    Sent task = single(tasksSentTo(fresh));
    assertThat(task.payload).isEqualTo(bytes("b"));
    assertThat(dispatcher.queued()).isZero();
  }

  @Test
  void aWorkerServingSeveralTypesTakesTheirWaitingTasksInTurn() {
    dispatcher = newDispatcher(1);
    Worker w = connectWorker(1, 1, "a", "b");
    Client c = connectClient();
    submit(c, 1, "a", bytes("a1")); // sent at once
    submit(c, 2, "a", bytes("a2"));
    submit(c, 3, "a", bytes("a3"));
    submit(c, 4, "b", bytes("b1"));
    submit(c, 5, "b", bytes("b2"));

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Sent s = single(tasksSentTo(w));
      order.add(new String(s.payload, StandardCharsets.UTF_8));
      result(w, s.taskId, Status.OK_VALUE, "", bytes(""));
    }
    assertThat(order.get(0)).isEqualTo("a1");
    // Neither type starves the other: after a1 the queues are served alternately.
    assertThat(order.subList(1, 5)).containsExactlyInAnyOrder("a2", "a3", "b1", "b2");
    assertThat(order.subList(1, 3)).containsExactlyInAnyOrder("a2", "b1");
    assertThat(responsesTo(c)).hasSize(5);
  }

  @Test
  void anUnknownTaskTypeIsAnsweredWithUnknownTaskTypeNamingIt() {
    connectWorker(1, 4, "echo", "sha256");
    Client c = connectClient();

    ByteBuf frame = submit(c, 9, "nope", bytes("x"));

    assertThat(frame.refCnt()).isZero();
    Response r = single(responsesTo(c));
    assertThat(r.requestId).isEqualTo(9);
    assertThat(r.status).isEqualTo(Status.UNKNOWN_TASK_TYPE_VALUE);
    assertThat(r.message).contains("'nope'").contains("[echo, sha256]");
    assertThat(dispatcher.tasksInProgress()).isZero();
  }

  @Test
  void anUnknownTaskTypeMessagePointsAtTheWorkerClasspathSetting() {
    connectWorker(1, 4, "upper");
    Client c = connectClient();

    submit(c, 9, "echo", bytes("x"));

    assertThat(single(responsesTo(c)).message)
        .isEqualTo("no worker serves task type 'echo' (served: [upper]; handlers come from --worker-classpath)");
  }

  @Test
  void theServedTaskTypesAreLoggedOnceWithTheirSourceAndAgainOnlyWhenTheyChange() {
    dispatcher.handlerSource("from --worker-classpath my-handlers.jar");
    try (LogCapture log = LogCapture.of(WorkerPool.class)) {
      Worker first = connectWorker(1, 4, "upper");
      connectWorker(2, 4, "upper");
      disconnect(first);
      connectWorker(3, 4, "upper"); // a restart with the same handlers: not news
      connectWorker(4, 4, "upper", "lower"); // a deploy that adds a type
      List<String> served =
          log.events(e -> e.getFormattedMessage().startsWith("workers serve")).stream()
              .map(e -> e.getLevel() + " " + e.getFormattedMessage())
              .toList();
      assertThat(served)
          .containsExactly(
              "INFO workers serve task types [upper] (from --worker-classpath my-handlers.jar)",
              "INFO workers serve task types [lower, upper] (from --worker-classpath my-handlers.jar)");
    }
  }

  @Test
  void aTypeWhoseLastWorkerLeftIsUnknown() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();
    disconnect(w);

    submit(c, 3, "echo", bytes("x"));

    Response r = single(responsesTo(c));
    assertThat(r.status).isEqualTo(Status.UNKNOWN_TASK_TYPE_VALUE);
    assertThat(r.message).contains("'echo'").contains("[]");
  }

  @Test
  void anEmptyTaskTypeIsAnInvalidRequest() {
    connectWorker(1, 4, "echo");
    Client c = connectClient();

    submit(c, 4, "", bytes("x"));

    Response r = single(responsesTo(c));
    assertThat(r.requestId).isEqualTo(4);
    assertThat(r.status).isEqualTo(Status.INVALID_REQUEST_VALUE);
    assertThat(r.message).isEqualTo("task_type is empty");
  }

  @Test
  void aCrashedWorkersTasksAreRedispatchedAtOnceWithTheAttemptRaised() {
    Worker first = connectWorker(1, 4, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("survive me"));
    submit(c, 2, "echo", bytes("me too"));
    List<Sent> before = tasksSentTo(first);
    assertThat(before).hasSize(2);
    Worker second = connectWorker(2, 4, "echo");
    assertThat(tasksSentTo(second)).isEmpty();

    disconnect(first);

    List<Sent> after = tasksSentTo(second);
    assertThat(after).extracting(s -> s.attempt).containsExactly(2, 2);
    assertThat(after).extracting(s -> s.taskId)
        .containsExactly(before.get(0).taskId, before.get(1).taskId);
    assertThat(after.get(0).payload).isEqualTo(bytes("survive me"));
    assertThat(after.get(1).payload).isEqualTo(bytes("me too"));
    assertThat(registry.disconnected).containsExactly(1);

    result(second, after.get(0).taskId, Status.OK_VALUE, "", bytes("ok"));
    Response r = single(responsesTo(c));
    assertThat(r.requestId).isEqualTo(1);
    assertThat(r.attempts).isEqualTo(2);
  }

  @Test
  void aCrashedWorkersTaskWaitsWhenNoOtherWorkerHasRoom() {
    Worker first = connectWorker(1, 4, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("orphan"));
    assertThat(tasksSentTo(first)).hasSize(1);

    disconnect(first);
    assertThat(dispatcher.queued()).isEqualTo(1);
    assertThat(responsesTo(c)).isEmpty();

    Worker replacement = connectWorker(1, 4, "echo");
    Sent s = single(tasksSentTo(replacement));
    assertThat(s.attempt).isEqualTo(2);
    assertThat(s.payload).isEqualTo(bytes("orphan"));
  }

  @Test
  void retriedTasksWaitAheadOfTasksSubmittedAfterThemOldestFirst() {
    dispatcher = newDispatcher(2);
    Worker first = connectWorker(1, 1, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("old-1"));
    submit(c, 2, "echo", bytes("old-2"));
    assertThat(tasksSentTo(first)).hasSize(2);
    submit(c, 3, "echo", bytes("new-3"));
    assertThat(dispatcher.queued()).isEqualTo(1);

    disconnect(first);
    assertThat(dispatcher.queued()).isEqualTo(3);

    Worker replacement = connectWorker(1, 1, "echo");
    assertThat(tasksSentTo(replacement))
        .extracting(sent -> new String(sent.payload, java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("old-1", "old-2");
  }

  @Test
  void beyondTheQueueBoundNewTasksAreAnsweredOverloadedAndAcceptedOnesStillComplete() {
    dispatcher = newDispatcher(1);
    dispatcher.limits(2, 1 << 20, 1_000);
    Worker w = connectWorker(1, 1, "echo");
    Client c = connectClient();
    for (int i = 1; i <= 5; i++) {
      submit(c, i, "echo", bytes("t" + i));
    }
    // One on the worker, two waiting, two refused.
    List<Response> refused = responsesTo(c);
    assertThat(refused).extracting(Response::requestId).containsExactly(4L, 5L);
    assertThat(refused).allMatch(r -> r.status() == io.drover.protocol.proto.Status.OVERLOADED_VALUE);
    assertThat(refused.get(0).message()).contains("queue is full");
    for (int done = 0; done < 3; done++) {
      Sent sent = single(tasksSentTo(w));
      result(w, sent.taskId(), 0, "", sent.payload());
    }
    assertThat(responsesTo(c)).extracting(Response::requestId).containsExactly(1L, 2L, 3L);
    assertThat(dispatcher.tasksInProgress()).isZero();
  }

  @Test
  void aConnectionOverItsInFlightLimitIsNotReadUntilHalfIsAnswered() {
    dispatcher = newDispatcher(100);
    dispatcher.limits(1_000, 1 << 20, 4);
    Worker w = connectWorker(1, 100, "echo");
    Client c = connectClient();
    for (int i = 1; i <= 4; i++) {
      submit(c, i, "echo", bytes("t" + i));
    }
    assertThat(c.channel().config().isAutoRead()).isFalse();
    List<Sent> sent = tasksSentTo(w);
    result(w, sent.get(0).taskId(), 0, "", sent.get(0).payload());
    assertThat(c.channel().config().isAutoRead()).isFalse();
    result(w, sent.get(1).taskId(), 0, "", sent.get(1).payload());
    assertThat(c.channel().config().isAutoRead()).isTrue();
    result(w, sent.get(2).taskId(), 0, "", sent.get(2).payload());
    result(w, sent.get(3).taskId(), 0, "", sent.get(3).payload());
    assertThat(responsesTo(c)).hasSize(4);
  }

  @Test
  void waitingTasksAreServedRoundRobinAcrossConnections() {
    dispatcher = newDispatcher(1);
    Worker w = connectWorker(1, 1, "echo");
    Client flooder = connectClient();
    Client other = connectClient();
    for (int i = 1; i <= 5; i++) {
      submit(flooder, i, "echo", bytes("f" + i));
    }
    submit(other, 1, "echo", bytes("o1"));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Sent s = single(tasksSentTo(w));
      order.add(new String(s.payload(), java.nio.charset.StandardCharsets.UTF_8));
      result(w, s.taskId(), 0, "", s.payload());
    }
    // f1 was already on the worker; then the two connections take turns.
    assertThat(order).containsExactly("f1", "f2", "o1", "f3", "f4", "f5");
  }

  @Test
  void aTaskThatKeepsKillingWorkersFailsWithWorkerCrashedAfterMaxAttempts() {
    Client c = connectClient();
    Worker w1 = connectWorker(1, 4, "poison");
    submit(c, 42, "poison", bytes("deadly"));
    assertThat(single(tasksSentTo(w1)).attempt).isEqualTo(1);

    Worker w2 = connectWorker(2, 4, "poison");
    disconnect(w1);
    assertThat(single(tasksSentTo(w2)).attempt).isEqualTo(2);

    Worker w3 = connectWorker(3, 4, "poison");
    disconnect(w2);
    assertThat(single(tasksSentTo(w3)).attempt).isEqualTo(3);
    assertThat(responsesTo(c)).isEmpty();

    Worker w4 = connectWorker(4, 4, "poison");
    disconnect(w3);

    assertThat(tasksSentTo(w4)).as("not retried past maxAttempts").isEmpty();
    Response r = single(responsesTo(c));
    assertThat(r.requestId).isEqualTo(42);
    assertThat(r.status).isEqualTo(Status.WORKER_CRASHED_VALUE);
    assertThat(r.attempts).isEqualTo(MAX_ATTEMPTS);
    assertThat(r.message).contains("worker 3").contains("after 3 attempts");
    assertThat(dispatcher.tasksInProgress()).isZero();
  }

  @Test
  void resultsForADisconnectedClientAreDroppedAndItsQueuedTasksNeverReachAWorker() {
    dispatcher = newDispatcher(1);
    Worker w = connectWorker(1, 1, "echo");
    Client gone = connectClient();
    Client stays = connectClient();
    submit(gone, 1, "echo", bytes("running"));
    submit(gone, 2, "echo", bytes("queued 1"));
    submit(stays, 1, "echo", bytes("other client"));
    submit(gone, 3, "echo", bytes("queued 2"));
    Sent running = single(tasksSentTo(w));

    dispatcher.clientPort().clientDisconnected(gone.session);
    gone.out.discard();
    result(w, running.taskId, Status.OK_VALUE, "", bytes("nobody listens"));

    assertThat(responsesTo(gone)).isEmpty();
    List<Sent> sent = tasksSentTo(w);
    assertThat(sent).hasSize(2);
    // The worker is told to stop the task nobody will read the result of.
    assertThat(sent.get(0).kind).isEqualTo(io.drover.protocol.wire.WorkerCommandCodec.KIND_CANCEL);
    assertThat(sent.get(0).taskId).isEqualTo(running.taskId);
    Sent next = sent.get(1);
    assertThat(next.payload).isEqualTo(bytes("other client"));
    result(w, next.taskId, Status.OK_VALUE, "", bytes("for you"));
    assertThat(single(responsesTo(stays)).body).isEqualTo(bytes("for you"));
    assertThat(tasksSentTo(w)).as("the gone client's queued tasks are dropped").isEmpty();
    assertThat(dispatcher.queued()).isZero();
    assertThat(dispatcher.tasksInProgress()).isZero();
    assertThat(gone.session.inFlight).isZero();
  }

  @Test
  void aDisconnectedClientsTasksAreNotRetriedWhenTheirWorkerCrashes() {
    Worker w1 = connectWorker(1, 4, "echo");
    Client gone = connectClient();
    submit(gone, 1, "echo", bytes("x"));
    assertThat(tasksSentTo(w1)).hasSize(1);
    Worker w2 = connectWorker(2, 4, "echo");

    dispatcher.clientPort().clientDisconnected(gone.session);
    disconnect(w1);

    assertThat(tasksSentTo(w2)).isEmpty();
    assertThat(dispatcher.tasksInProgress()).isZero();
  }

  @Test
  void aRegistrationWhosePidDiffersFromTheSocketsPeerIsRefused() {
    EmbeddedChannel ch = newChannel();
    WorkerSession session = dispatcher.workerPort().workerConnected(ch, new OutboundBatch(ch, flusher), 1234);

    String refusal = dispatcher.workerPort().registered(session, registration(1, 999, 4, "echo"));

    assertThat(refusal).contains("999").contains("1234");
    assertThat(dispatcher.workers()).isEmpty();
    assertThat(registry.registered).as("the supervisor is not asked").isEmpty();
    dispatcher.workerPort().workerDisconnected(session); // a refused worker's disconnect changes nothing
    assertThat(registry.disconnected).isEmpty();
  }

  @Test
  void aWorkerWithoutPeerCredentialsMayClaimAnyPid() {
    EmbeddedChannel ch = newChannel();
    WorkerSession session = dispatcher.workerPort().workerConnected(ch, new OutboundBatch(ch, flusher), -1);

    assertThat(dispatcher.workerPort().registered(session, registration(1, 999, 4, "echo"))).isNull();
    assertThat(dispatcher.workers()).singleElement().satisfies(s -> assertThat(s.pid()).isEqualTo(999));
  }

  @Test
  void aRegistrationWithoutCapacityOrWithABadTypeIsRefused() {
    EmbeddedChannel ch = newChannel();
    WorkerSession session = dispatcher.workerPort().workerConnected(ch, new OutboundBatch(ch, flusher), 7);

    assertThat(dispatcher.workerPort().registered(session, registration(1, 7, 0, "echo")))
        .isEqualTo("capacity 0 (expected: > 0)");
    assertThat(dispatcher.workerPort().registered(session, registration(1, 7, 1, "")))
        .contains("task type ''");
    assertThat(dispatcher.workerPort().registered(session, registration(1, 7, 1, "x".repeat(256))))
        .contains("is 256 bytes (max 255)");
    assertThat(dispatcher.workers()).isEmpty();
  }

  @Test
  void theSupervisorsRefusalIsPassedOn() {
    registry.refusal = "pid 7 was not spawned for slot 1";
    EmbeddedChannel ch = newChannel();
    WorkerSession session = dispatcher.workerPort().workerConnected(ch, new OutboundBatch(ch, flusher), 7);

    assertThat(dispatcher.workerPort().registered(session, registration(1, 7, 4, "echo")))
        .isEqualTo("pid 7 was not spawned for slot 1");
    assertThat(dispatcher.workers()).isEmpty();
  }

  @Test
  void afterBeginShutdownNewTasksGetShuttingDown() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();

    dispatcher.beginShutdown();
    ByteBuf frame = submit(c, 8, "echo", bytes("too late"));

    assertThat(frame.refCnt()).isZero();
    Response r = single(responsesTo(c));
    assertThat(r.requestId).isEqualTo(8);
    assertThat(r.status).isEqualTo(Status.SHUTTING_DOWN_VALUE);
    assertThat(tasksSentTo(w)).isEmpty();
  }

  @Test
  void tasksAlreadyRunningStillCompleteAfterBeginShutdown() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("before"));
    Sent s = single(tasksSentTo(w));

    dispatcher.beginShutdown();
    result(w, s.taskId, Status.OK_VALUE, "", bytes("after"));

    assertThat(single(responsesTo(c)).body).isEqualTo(bytes("after"));
  }

  @Test
  void drainWorkersSendsDrainAndStopsPlacingTasks() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();

    dispatcher.drainWorkers();
    submit(c, 1, "echo", bytes("waits"));

    Sent drain = single(tasksSentTo(w));
    assertThat(drain.kind).isEqualTo(WorkerCommandCodec.KIND_DRAIN);
    assertThat(dispatcher.queued()).isEqualTo(1);
  }

  @Test
  void aPingIsAnsweredWithOk() {
    Client c = connectClient();
    dispatcher.clientPort().ping(c.session, 77);
    Response r = single(responsesTo(c));
    assertThat(r.requestId).isEqualTo(77);
    assertThat(r.status).isEqualTo(Status.OK_VALUE);
  }

  @Test
  void aResultForAnUnknownTaskIsIgnored() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();

    ByteBuf frame = result(w, 12345, Status.OK_VALUE, "", bytes("stray"));

    assertThat(frame.refCnt()).isZero();
    assertThat(responsesTo(c)).isEmpty();
  }
}
