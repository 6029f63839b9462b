package io.drover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.WorkerEventCodec;
import io.drover.worker.FakeMaster.Event;
import io.drover.worker.internal.DomainSocketTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs a real worker against a {@link FakeMaster} over each domain socket transport. */
class DroverWorkerTest {
  private static final int WORKER_ID = 3;

  @TempDir Path dir;

  private FakeMaster master;
  private DroverWorker worker;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch blockedStarted = new CountDownLatch(3);
  private final ConcurrentLinkedQueue<TaskContext> interrupted = new ConcurrentLinkedQueue<>();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static TaskHandler handler(String type, Body body) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public byte[] handle(TaskContext context, byte[] payload) throws Exception {
        return body.apply(context, payload);
      }
    };
  }

  @FunctionalInterface
  interface Body {
    byte[] apply(TaskContext context, byte[] payload) throws Exception;
  }

  private void start(DomainSocketTransport transport) throws Exception {
    start(transport, FrameLimits.DEFAULT_MAX_FRAME_BYTES);
  }

  private void start(DomainSocketTransport transport, int maxFrameBytes) throws Exception {
    if (transport == DomainSocketTransport.EPOLL) {
      assumeThat(Epoll.isAvailable()).as("epoll available").isTrue();
    }
    Path socket = dir.resolve("master.sock");
    master = new FakeMaster(socket, transport, maxFrameBytes);
    worker =
        DroverWorker.builder()
            .socketPath(socket)
            .workerId(WORKER_ID)
            .capacity(4)
            .maxFrameBytes(maxFrameBytes)
            .transport(transport)
            .heartbeatInterval(Duration.ofMillis(100))
            .handler(handler("echo", (ctx, p) -> p))
            .handler(handler("fail", (ctx, p) -> {
              throw new IllegalStateException("boom: " + new String(p, StandardCharsets.UTF_8));
            }))
            .handler(handler("anon", (ctx, p) -> {
              throw new UnsupportedOperationException();
            }))
            .handler(handler("null", (ctx, p) -> null))
            .handler(handler("sized", (ctx, p) -> new byte[Integer.parseInt(new String(p, StandardCharsets.US_ASCII))]))
            .handler(handler("shout", (ctx, p) -> {
              throw new IllegalStateException("!".repeat(Integer.parseInt(new String(p, StandardCharsets.US_ASCII))));
            }))
            .handler(handler("block", (ctx, p) -> {
              blockedStarted.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                interrupted.add(ctx);
                throw e;
              }
              return p;
            }))
            .build();
    worker.start();
  }

  /** The next {@code n} frames from the worker, by task id (results come in completion order). */
  private Map<Long, Event> nextResults(int n) throws InterruptedException {
    Map<Long, Event> results = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Event e = master.next();
      results.put(e.taskId(), e);
    }
    return results;
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    if (worker != null) {
      worker.close();
    }
    if (master != null) {
      master.close();
    }
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void registersCapacityTaskTypesAndPid(DomainSocketTransport transport) throws Exception {
    start(transport);
    Registration reg = master.awaitRegistration();
    assertThat(reg.getWorkerId()).isEqualTo(WORKER_ID);
    assertThat(reg.getCapacity()).isEqualTo(4);
    assertThat(reg.getPid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(reg.getTaskTypesList()).containsExactly("echo", "fail", "anon", "null", "sized", "shout", "block");
    assertThat(worker.workerId()).isEqualTo(WORKER_ID);
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void returnsTheHandlersResultWithOk(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    master.sendTask(42, "echo", utf8("hello"));
    Event result = master.next();
    assertThat(result.kind()).isEqualTo(WorkerEventCodec.KIND_RESULT);
    assertThat(result.taskId()).isEqualTo(42);
    assertThat(result.status()).isEqualTo(Status.OK.getNumber());
    assertThat(result.message()).isEmpty();
    assertThat(result.bodyText()).isEqualTo("hello");
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void returnsEmptyAndLargeResultsIntact(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    byte[] large = new byte[300 * 1024];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    ByteBuf frames = Unpooled.buffer();
    FakeMaster.writeTask(frames, 1, "echo", new byte[0]);
    FakeMaster.writeTask(frames, 2, "echo", large);
    FakeMaster.writeTask(frames, 3, "echo", utf8("small"));
    master.send(frames);
    Map<Long, Event> results = nextResults(3);
    assertThat(results.get(1L).body()).isEmpty();
    assertThat(results.get(2L).body()).isEqualTo(large);
    assertThat(results.get(3L).bodyText()).isEqualTo("small");
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void answersUnknownTaskTypeNamingWhatTheWorkerServes(DomainSocketTransport transport)
      throws Exception {
    start(transport);
    master.awaitRegistration();
    master.sendTask(7, "foo", utf8("x"));
    Event result = master.next();
    assertThat(result.taskId()).isEqualTo(7);
    assertThat(result.status()).isEqualTo(Status.UNKNOWN_TASK_TYPE.getNumber());
    assertThat(result.message())
        .isEqualTo(
            "no handler for task type 'foo' in worker 3 (serves: echo, fail, anon, null, sized, shout, block)");
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void reportsHandlerFailuresAndStaysUp(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    master.sendTask(1, "fail", utf8("x"));
    Event failed = master.next();
    assertThat(failed.status()).isEqualTo(Status.HANDLER_ERROR.getNumber());
    assertThat(failed.message()).isEqualTo("boom: x");

    master.sendTask(2, "anon", new byte[0]);
    assertThat(master.next().message()).isEqualTo("java.lang.UnsupportedOperationException");

    master.sendTask(3, "null", new byte[0]);
    Event nullResult = master.next();
    assertThat(nullResult.status()).isEqualTo(Status.HANDLER_ERROR.getNumber());
    assertThat(nullResult.message()).isEqualTo("handler for 'null' returned null");

    master.sendTask(4, "echo", utf8("still here"));
    assertThat(master.next().bodyText()).isEqualTo("still here");
  }

  private static final int SMALL_FRAME = 64 * 1024;

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void answersResultTooLargeForAResultAFrameCannotCarryAndStaysUp(DomainSocketTransport transport)
      throws Exception {
    start(transport, SMALL_FRAME);
    master.awaitRegistration();
    int limit = SMALL_FRAME - FrameLimits.HEADER_HEADROOM_BYTES;
    ByteBuf frames = Unpooled.buffer();
    FakeMaster.writeTask(frames, 1, "sized", utf8(Integer.toString(limit + 1)));
    FakeMaster.writeTask(frames, 2, "sized", utf8(Integer.toString(limit)));
    FakeMaster.writeTask(frames, 3, "echo", utf8("still here"));
    master.send(frames);
    Map<Long, Event> results = nextResults(3);
    Event tooLarge = results.get(1L);
    assertThat(tooLarge.status()).isEqualTo(Status.RESULT_TOO_LARGE.getNumber());
    assertThat(tooLarge.body()).isEmpty();
    assertThat(tooLarge.message())
        .isEqualTo(
            "the result of 'sized' is 61441 bytes, larger than the 61440 bytes a result may have"
                + " (the maximum frame of 65536 bytes less 4096 for headers)");
    assertThat(results.get(2L).status()).isEqualTo(Status.OK.getNumber());
    assertThat(results.get(2L).body()).hasSize(limit);
    assertThat(results.get(3L).bodyText()).isEqualTo("still here");
    assertThat(master.workerClosed).isNotDone();
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void acceptsATaskWhosePayloadFillsAWholeClientFrame(DomainSocketTransport transport)
      throws Exception {
    start(transport, SMALL_FRAME);
    master.awaitRegistration();
    // A client's frame of exactly the maximum, with a 1-byte header length and a 6-byte header,
    // comes with a longer command header: the TASK frame is a few bytes over the maximum.
    byte[] payload = new byte[SMALL_FRAME - 7];
    ByteBuf frames = Unpooled.buffer();
    FakeMaster.writeTask(frames, Long.MAX_VALUE, "echo", payload);
    FakeMaster.writeTask(frames, 2, "echo", utf8("next"));
    master.send(frames);
    Map<Long, Event> results = nextResults(2);
    assertThat(results.get(Long.MAX_VALUE).status()).isEqualTo(Status.RESULT_TOO_LARGE.getNumber());
    assertThat(results.get(2L).bodyText()).isEqualTo("next");
    assertThat(worker.failed()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void cutsAHandlersLongErrorMessageToFitTheHeaderRoom(DomainSocketTransport transport)
      throws Exception {
    start(transport, SMALL_FRAME);
    master.awaitRegistration();
    master.sendTask(1, "shout", utf8(Integer.toString(SMALL_FRAME)));
    Event failed = master.next();
    assertThat(failed.status()).isEqualTo(Status.HANDLER_ERROR.getNumber());
    assertThat(failed.message())
        .isEqualTo("!".repeat(FrameLimits.MAX_MESSAGE_CHARS) + "...");
    master.sendTask(2, "echo", utf8("still here"));
    assertThat(master.next().bodyText()).isEqualTo("still here");
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void answersTenThousandTasksInFlight(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    int n = 10_000;
    ByteBuf frames = Unpooled.buffer();
    for (int i = 1; i <= n; i++) {
      FakeMaster.writeTask(frames, i, "echo", utf8("payload-" + i));
    }
    master.send(frames);
    boolean[] seen = new boolean[n + 1];
    for (int i = 0; i < n; i++) {
      Event e = master.next();
      assertThat(e.status()).isEqualTo(Status.OK.getNumber());
      assertThat(e.bodyText()).isEqualTo("payload-" + e.taskId());
      assertThat(seen[(int) e.taskId()]).as("duplicate result for %d", e.taskId()).isFalse();
      seen[(int) e.taskId()] = true;
    }
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void ignoresAMalformedCommand(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    // A frame whose header claims 100 bytes but carries 1.
    master.send(Unpooled.wrappedBuffer(new byte[] {2, 100, 0}));
    master.sendTask(5, "echo", utf8("ok"));
    Event e = master.next();
    assertThat(e.taskId()).isEqualTo(5);
    assertThat(e.bodyText()).isEqualTo("ok");
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void drainFinishesTasksInFlightThenCloses(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    for (int i = 1; i <= 3; i++) {
      master.sendTask(i, "block", utf8("b" + i));
    }
    assertThat(blockedStarted.await(60, TimeUnit.SECONDS)).isTrue();
    master.sendDrain();
    master.sendTask(99, "echo", utf8("late"));
    Event refused = master.next();
    assertThat(refused.taskId()).isEqualTo(99);
    assertThat(refused.status()).isEqualTo(Status.SHUTTING_DOWN.getNumber());
    assertThat(worker.awaitTermination(Duration.ofMillis(50))).isFalse();

    release.countDown();
    Map<Long, Event> results = nextResults(3);
    assertThat(results).containsOnlyKeys(1L, 2L, 3L);
    assertThat(results.values()).allMatch(e -> e.status() == Status.OK.getNumber());
    master.workerClosed.get(60, TimeUnit.SECONDS);
    assertThat(worker.awaitTermination(Duration.ofSeconds(60))).isTrue();
    assertThat(worker.failed()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void sendsHeartbeatsWithItsLoadFromAThreadOfItsOwn(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    io.drover.protocol.proto.Heartbeat first = master.heartbeats.poll(60, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.getHeapMaxBytes()).isPositive();
    assertThat(first.getHeapUsedBytes()).isPositive();
    assertThat(first.getRssBytes()).isPositive();
    for (int i = 1; i <= 5; i++) {
      master.sendTask(i, "echo", utf8("x"));
      master.next();
    }
    // Handler threads busy with a blocked task do not stop the heartbeat.
    for (int i = 50; i < 53; i++) {
      master.sendTask(i, "block", utf8("b"));
    }
    assertThat(blockedStarted.await(60, TimeUnit.SECONDS)).isTrue();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              io.drover.protocol.proto.Heartbeat h = master.heartbeats.poll(1, TimeUnit.SECONDS);
              return h != null && h.getTasksCompleted() == 5 && h.getInFlight() == 3;
            });
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void heartbeatsFollowTheConfiguredInterval(DomainSocketTransport transport) throws Exception {
    long startNanos = System.nanoTime();
    start(transport); // every 100 ms
    master.awaitRegistration();
    java.util.List<io.drover.protocol.proto.Heartbeat> received = new java.util.ArrayList<>();
    // Ten at 100 ms come within a second or so; at the 1 s default they would take nine, so an
    // eight-second guard still tells the two apart while leaving a busy machine 8x the time.
    await()
        .atMost(Duration.ofSeconds(8))
        .until(() -> {
          master.heartbeats.drainTo(received);
          return received.size() >= 10;
        });
    // At a fixed rate a heartbeat is never early: the tenth is due 900 ms after the first.
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(received).allSatisfy(h -> {
      assertThat(h.getHeapMaxBytes()).isPositive();
      assertThat(h.getHeapUsedBytes()).isBetween(1L, h.getHeapMaxBytes());
      assertThat(h.getCpuLoad()).isBetween(0.0, 1.0);
      assertThat(h.getInFlight()).isZero();
      assertThat(h.getTasksCompleted()).isZero();
    });
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void drainOnItsOwnTellsTheMasterThenFinishesTasksInFlight(DomainSocketTransport transport)
      throws Exception {
    start(transport);
    master.awaitRegistration();
    for (int i = 1; i <= 3; i++) {
      master.sendTask(i, "block", utf8("b" + i));
    }
    assertThat(blockedStarted.await(60, TimeUnit.SECONDS)).isTrue();
    worker.drain();
    Event draining = master.next();
    assertThat(draining.kind()).isEqualTo(io.drover.protocol.wire.WorkerEventCodec.KIND_DRAINING);
    release.countDown();
    for (int i = 0; i < 3; i++) {
      assertThat(master.next().status()).isEqualTo(Status.OK.getNumber());
    }
    master.workerClosed.get(60, TimeUnit.SECONDS);
    assertThat(worker.awaitTermination(Duration.ofSeconds(60))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void drainWithNothingInFlightClosesAtOnce(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    master.sendDrain();
    master.workerClosed.get(60, TimeUnit.SECONDS);
    assertThat(worker.awaitTermination(Duration.ofSeconds(60))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void terminatesAndInterruptsHandlersWhenTheMasterGoesAway(DomainSocketTransport transport)
      throws Exception {
    start(transport);
    master.awaitRegistration();
    for (int i = 1; i <= 3; i++) {
      master.sendTask(i, "block", new byte[0]);
    }
    // Running handlers are interrupted; a task cancelled before it starts never runs at all.
    assertThat(blockedStarted.await(60, TimeUnit.SECONDS)).isTrue();
    master.workerChannel().close().sync();
    assertThat(worker.awaitTermination(Duration.ofSeconds(60))).isTrue();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !interrupted.isEmpty());
    assertThat(interrupted.peek().isCancelled()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void closeIsIdempotentAndTerminates(DomainSocketTransport transport) throws Exception {
    start(transport);
    master.awaitRegistration();
    worker.close();
    worker.close();
    assertThat(worker.awaitTermination(Duration.ofSeconds(30))).isTrue();
    master.workerClosed.get(60, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void startFailsClearlyWhenTheSocketIsMissing(DomainSocketTransport transport) {
    if (transport == DomainSocketTransport.EPOLL) {
      assumeThat(Epoll.isAvailable()).isTrue();
    }
    Path missing = dir.resolve("nobody.sock");
    DroverWorker w =
        DroverWorker.builder()
            .socketPath(missing)
            .transport(transport)
            .heartbeatInterval(Duration.ofMillis(100))
            .handler(handler("echo", (ctx, p) -> p))
            .build();
    assertThatThrownBy(w::start)
        .isInstanceOf(WorkerStartException.class)
        .hasMessageContaining("worker 0 cannot connect to the master at " + missing);
    w.close();
  }
}
