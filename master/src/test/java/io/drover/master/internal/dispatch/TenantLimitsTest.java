package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.config.AuthSettings;
import io.drover.master.config.TenantSettings;
import io.drover.master.config.TenantSettings.Priority;
import io.drover.master.internal.auth.TokenHash;
import io.drover.master.internal.transport.AuthAnswer;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant's limits on the dispatcher's task path: types, priorities, in flight, queue share. */
class TenantLimitsTest extends DispatcherHarness {
  private static TenantSettings tenant(String name, List<String> types, int maxInFlight, Priority max, double share) {
    return new TenantSettings(name, TokenHash.hex(name + "-token"), null, types, maxInFlight, max, share);
  }

  private AuthAnswer authenticate(Client c, String token) {
    ByteBuf t = Unpooled.copiedBuffer(bytes(token));
    try {
      return dispatcher.clientPort().authenticate(c.session(), t);
    } finally {
      t.release();
    }
  }

  private Client tenantClient(String name) {
    Client c = connectClient();
    assertThat(dispatcher.clientPort().mustAuthenticate(c.session())).isTrue();
    assertThat(authenticate(c, name + "-token")).isEqualTo(AuthAnswer.accepted(name));
    return c;
  }

  private void submitAt(Client c, long requestId, String type, int priority) {
    ByteBuf frame = ByteBufAllocator.DEFAULT.buffer();
    RequestHeaderCodec.writeFramePrefix(
        frame, RequestHeaderCodec.KIND_SUBMIT, requestId, bytes(type), false, ProtoWire.EMPTY, priority, 0, ProtoWire.EMPTY, 1);
    frame.writeByte('x');
    deliver(c, type, frame);
  }

  @Test
  void aTenantRunsOnlyItsTaskTypesAndPrioritiesAndKeepsItsConnection() {
    connectWorker(1, 10, "echo", "sha256");
    dispatcher.tenants(new AuthSettings(List.of(tenant("a", List.of("echo", "not-served-yet"), 0, Priority.NORMAL, 1)), false));
    Client c = tenantClient("a");
    submit(c, 1, "sha256", bytes("x"));
    submit(c, 2, "nobody-serves-this", bytes("x"));
    submitAt(c, 3, "echo", RequestHeaderCodec.PRIORITY_HIGH);
    submitAt(c, 4, "echo", RequestHeaderCodec.PRIORITY_LOW);
    submit(c, 5, "echo", bytes("x"));
    List<Response> r = responsesTo(c);
    assertThat(r).extracting(Response::requestId).containsExactly(1L, 2L, 3L);
    assertThat(r).extracting(x -> x.status).containsOnly(Status.PERMISSION_DENIED_VALUE);
    assertThat(r.get(0).message).isEqualTo("tenant a may not run this task type");
    assertThat(r.get(2).message).isEqualTo("tenant a may not use priority HIGH");
    assertThat(dispatcher.tasksInProgress()).as("echo at LOW and NORMAL accepted").isEqualTo(2);
    assertThat(dispatcher.status().tenants().tenants().get(0).denied()).isEqualTo(3);
  }

  @Test
  void aTenantAtItsInFlightLimitIsNotReadAndWhatItHadReadGoesOnInOrderAsItsTasksComplete() {
    dispatcher.tenants(new AuthSettings(List.of(tenant("a", List.of(), 2, Priority.HIGH, 1)), false));
    Worker w = connectWorker(1, 10, "echo");
    Client first = tenantClient("a");
    Client second = tenantClient("a");
    for (int i = 1; i <= 3; i++) {
      submit(first, i, "echo", bytes("first " + i));
    }
    submit(second, 1, "echo", bytes("second 1"));
    assertThat(first.channel().config().isAutoRead()).isFalse();
    assertThat(second.channel().config().isAutoRead()).as("every connection of the tenant").isFalse();
    List<String> ran = new ArrayList<>();
    List<Sent> sent = tasksSentTo(w);
    assertThat(sent).hasSize(2);
    TenantsSnapshot.TenantCounts counts = dispatcher.status().tenants().tenants().get(0);
    assertThat(counts.inFlight()).isEqualTo(2);
    assertThat(counts.held()).isEqualTo(2);
    assertThat(counts.paused()).isTrue();
    while (!sent.isEmpty()) {
      for (Sent s : sent) {
        ran.add(new String(s.payload(), java.nio.charset.StandardCharsets.UTF_8));
        result(w, s.taskId(), 0, "", s.payload());
      }
      loop.runPendingTasks(); // the held requests go on from a task of their own
      sent = tasksSentTo(w);
      assertThat(sent.size()).isLessThanOrEqualTo(2);
    }
    assertThat(ran).containsExactly("first 1", "first 2", "first 3", "second 1");
    assertThat(first.channel().config().isAutoRead()).isTrue();
    assertThat(second.channel().config().isAutoRead()).isTrue();
    assertThat(responsesTo(first)).extracting(Response::requestId).containsExactly(1L, 2L, 3L);
    counts = dispatcher.status().tenants().tenants().get(0);
    assertThat(counts.submitted()).isEqualTo(4);
    assertThat(counts.completed()).isEqualTo(4);
    assertThat(counts.paused()).isFalse();
  }

  @Test
  void aConnectionThatClosesWithHeldRequestsReleasesThem() {
    dispatcher.tenants(new AuthSettings(List.of(tenant("a", List.of(), 1, Priority.HIGH, 1)), false));
    connectWorker(1, 10, "echo");
    Client c = tenantClient("a");
    for (int i = 1; i <= 5; i++) {
      submit(c, i, "echo", bytes("t" + i));
    }
    assertThat(dispatcher.status().tenants().tenants().get(0).held()).isEqualTo(4);
    dispatcher.clientPort().clientDisconnected(c.session());
    clients.remove(c);
    assertThat(dispatcher.status().tenants().tenants().get(0).held()).isZero();
    // The leak extension fails the test if a held frame was not released.
  }

  @Test
  void aCancelReachesARequestHeldByItsTenantsLimit() {
    dispatcher.tenants(new AuthSettings(List.of(tenant("a", List.of(), 1, Priority.HIGH, 1)), false));
    Worker w = connectWorker(1, 10, "echo");
    Client c = tenantClient("a");
    submit(c, 1, "echo", bytes("runs"));
    submit(c, 2, "echo", bytes("held, then cancelled"));
    submit(c, 3, "echo", bytes("held, then runs"));
    dispatcher.clientPort().cancel(c.session(), 2);
    Response cancelled = single(responsesTo(c));
    assertThat(cancelled.requestId).isEqualTo(2);
    assertThat(cancelled.status).isEqualTo(Status.CANCELLED_VALUE);
    Sent first = single(tasksSentTo(w));
    result(w, first.taskId(), 0, "", first.payload());
    loop.runPendingTasks();
    Sent next = single(tasksSentTo(w));
    assertThat(new String(next.payload(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("held, then runs");
    result(w, next.taskId(), 0, "", next.payload());
    assertThat(responsesTo(c)).extracting(Response::requestId).containsExactly(1L, 3L);
  }

  @Test
  void aTenantsWaitingTasksAreBoundedByItsShareOfTheQueue() {
    dispatcher = newDispatcher(1);
    dispatcher.limits(10, 1 << 20, 1_000);
    dispatcher.tenants(new AuthSettings(List.of(tenant("a", List.of(), 0, Priority.HIGH, 0.2), tenant("b", List.of(), 0, Priority.HIGH, 1)), false));
    connectWorker(1, 1, "echo");
    Client a = tenantClient("a");
    Client b = tenantClient("b");
    for (int i = 1; i <= 4; i++) {
      submit(a, i, "echo", bytes("a" + i));
    }
    for (int i = 1; i <= 4; i++) {
      submit(b, i, "echo", bytes("b" + i));
    }
    // a: one on the worker, two waiting (0.2 x 10), the fourth refused; b waits behind them all.
    List<Response> refused = responsesTo(a);
    assertThat(refused).extracting(Response::requestId).containsExactly(4L);
    assertThat(refused.get(0).status).isEqualTo(Status.OVERLOADED_VALUE);
    assertThat(refused.get(0).message).startsWith("tenant a has its share of the master's queue waiting (2 tasks)");
    assertThat(responsesTo(b)).isEmpty();
    assertThat(dispatcher.queued()).isEqualTo(6);
  }

  @Test
  void withoutTenantsAConnectionNeedsNoAuthAndAnAuthIsAnsweredOk() {
    Client c = connectClient();
    assertThat(dispatcher.clientPort().mustAuthenticate(c.session())).isFalse();
    assertThat(authenticate(c, "anything")).isEqualTo(AuthAnswer.accepted(""));
    assertThat(c.session().tenant).isNull();
  }

  @Test
  void aWrongTokenOrAnotherTenantsIsRefusedAndCounted() {
    dispatcher.tenants(new AuthSettings(List.of(tenant("a", List.of(), 0, Priority.HIGH, 1), tenant("b", List.of(), 0, Priority.HIGH, 1)), false));
    Client c = tenantClient("a");
    assertThat(authenticate(c, "a-token")).isEqualTo(AuthAnswer.accepted("a"));
    assertThat(authenticate(c, "b-token").accepted()).isFalse();
    assertThat(authenticate(connectClient(), "nobody").message()).isEqualTo("unknown token");
    assertThat(dispatcher.status().tenants().authFailures()).containsEntry("unknown_token", 1L).containsEntry("other_tenant", 1L);
  }
}
