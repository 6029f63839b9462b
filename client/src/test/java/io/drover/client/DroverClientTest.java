package io.drover.client;

import static io.drover.client.testing.FutureFailures.failure;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.testing.FakeMaster;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetectionExtension.class)
class DroverClientTest {
  private static final int MASTER_MAX_FRAME_BYTES = 64 * 1024;

  @RegisterExtension final FakeMaster master = new FakeMaster(MASTER_MAX_FRAME_BYTES);

  private DroverClient client;

  @BeforeEach
  void connect() {
    client = DroverClient.connect("127.0.0.1", master.port());
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void noRetryTravelsInTheRequestHeaderOnlyWhenAsked() throws Exception {
    byte[] none = new byte[0];
    assertThat(client.submit("flags", none).get(60, TimeUnit.SECONDS))
        .asString(UTF_8)
        .isEqualTo("no_retry=false");
    assertThat(client.submit("flags", none, TaskOptions.defaults().withNoRetry()).get(60, TimeUnit.SECONDS))
        .asString(UTF_8)
        .isEqualTo("no_retry=true");
  }

  @Test
  void taskOptionsRejectANonPositiveTimeout() {
    assertThatThrownBy(() -> TaskOptions.defaults().withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: 0 s (expected: > 0)");
  }

  @Test
  void hundredThousandTasksFromEightThreadsAllMatchTheirResults() throws Exception {
    int threads = 8;
    int perThread = 12_500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<CompletableFuture<Boolean>>>> submitted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        submitted.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<Boolean>> checks = new ArrayList<>(perThread);
                  for (int i = 0; i < perThread; i++) {
                    byte[] payload = ("task-" + thread + '-' + i).getBytes(UTF_8);
                    checks.add(
                        client.submit("echo", payload).thenApply(r -> new String(r, UTF_8).equals(
                            new String(payload, UTF_8))));
                  }
                  return checks;
                }));
      }
      List<CompletableFuture<Boolean>> all = new ArrayList<>();
      for (Future<List<CompletableFuture<Boolean>>> f : submitted) {
        // Hang guards only: submit blocks at maxInFlight until answers come, so on a machine
        // busy with other work the submissions take as long as the answers do.
        all.addAll(f.get(5, TimeUnit.MINUTES));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.MINUTES);
      assertThat(all).hasSize(threads * perThread).allMatch(CompletableFuture::join);
      assertThat(master.received()).isEqualTo(threads * perThread);
      assertThat(client.inFlight()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void resultsArrivingOutOfOrderAreMatchedById() {
    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      futures.add(client.submit("echo", Integer.toString(i).getBytes(UTF_8)));
    }
    for (int i = 0; i < futures.size(); i++) {
      assertThat(futures.get(i).join()).asString(UTF_8).isEqualTo(Integer.toString(i));
    }
  }

  @Test
  void emptyPayloadAndEmptyResult() {
    assertThat(client.submit("echo", new byte[0]).join()).isEmpty();
  }

  @Test
  void failureCarriesStatusMessageAndAttempts() {
    DroverTaskException e = taskFailure(client.submit("fail", new byte[] {1}));
    assertThat(e.status()).isEqualTo(TaskStatus.HANDLER_ERROR);
    assertThat(e.detail()).isEqualTo("boom");
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(e).hasMessage("HANDLER_ERROR: boom");
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void unknownStatusNumberIsUnrecognizedWithTheNumberInTheMessage() {
    DroverTaskException e = taskFailure(client.submit("odd", new byte[0]));
    assertThat(e.status()).isEqualTo(TaskStatus.UNRECOGNIZED);
    assertThat(e.detail()).isEqualTo("status 42: strange");
  }

  @Test
  void timeoutFailsWithDeadlineExceededAndTheLateResultIsDropped() {
    CompletableFuture<byte[]> late = client.submit("hold", new byte[0], Duration.ofMillis(100));
    DroverTaskException e = taskFailure(late);
    assertThat(e.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED);
    assertThat(e.detail()).isEqualTo("no result within 100 ms");
    assertThat(client.inFlight()).isZero();

    master.answerHeld();
    // The connection still works and the late answer matched nothing.
    assertThat(client.submit("echo", "after".getBytes(UTF_8)).join()).asString(UTF_8).isEqualTo("after");
    assertThat(client.ping()).succeedsWithin(Duration.ofSeconds(30));
    assertThat(late).isCompletedExceptionally();
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void defaultTimeoutApplies() {
    try (DroverClient c =
        DroverClient.builder().port(master.port()).defaultTimeout(Duration.ofMillis(50)).build()) {
      assertThat(taskFailure(c.submit("never", new byte[0])).status())
          .isEqualTo(TaskStatus.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void aMasterSideDeadlineLongerThanTheDefaultTimeoutIsWaitedFor() {
    try (DroverClient c =
        DroverClient.builder().port(master.port()).defaultTimeout(Duration.ofMillis(50)).build()) {
      CompletableFuture<byte[]> f =
          c.submit("hold", new byte[0], TaskOptions.defaults().withDeadline(Duration.ofSeconds(2)));
      // Well past the 50 ms default timeout, the task is still waiting for the master's answer.
      org.awaitility.Awaitility.await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(30))
          .until(() -> !f.isDone());
      master.answerHeld();
      assertThat(f).succeedsWithin(Duration.ofSeconds(30));
      assertThat(f.join()).asString(UTF_8).isEqualTo("late");
    }
  }

  @Test
  void pingSucceeds() {
    assertThat(client.ping()).succeedsWithin(Duration.ofSeconds(30));
  }

  @Test
  void connectionLevelErrorFailsEveryPendingTask() {
    List<CompletableFuture<byte[]>> pending = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pending.add(client.submit("never", new byte[0]));
    }
    await().until(() -> master.received() == 5);
    pending.add(client.submit("echo", new byte[MASTER_MAX_FRAME_BYTES + 1]));

    for (CompletableFuture<byte[]> f : pending) {
      DroverTaskException e = taskFailure(f);
      assertThat(e.status()).isEqualTo(TaskStatus.FRAME_TOO_LARGE);
      assertThat(e.detail()).contains("exceeds the maximum of ").contains("(" + MASTER_MAX_FRAME_BYTES + " bytes)");
    }
    assertThat(client.inFlight()).isZero();
    await().until(() -> !client.isOpen());
    assertThat(connectionFailure(client.submit("echo", new byte[0])))
        .hasMessageContaining("closed after FRAME_TOO_LARGE");
  }

  @Test
  void masterGoneForGoodFailsPendingTasksOnceTheReconnectBoundHasPassed() {
    client.close();
    client = DroverClient.builder().port(master.port()).reconnectTimeout(Duration.ofMillis(200)).build();
    // A client that has talked to its master: a connection it closes unanswered was lost, not refused for TLS.
    assertThat(client.submit("echo", new byte[0]).join()).isEmpty();
    List<CompletableFuture<byte[]>> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(client.submit("never", new byte[0]));
    }
    await().until(() -> master.received() == 4);
    master.stop();
    for (CompletableFuture<byte[]> f : pending) {
      assertThat(connectionFailure(f))
          .hasMessageStartingWith("could not reconnect to the Drover master at 127.0.0.1:" + master.port() + " within 200 ms");
    }
    assertThat(client.inFlight()).isZero();
    assertThat(connectionFailure(client.ping())).hasMessageContaining("could not reconnect");
  }

  @Test
  void closeFailsPendingTasksAndIsIdempotent() {
    List<CompletableFuture<byte[]>> pending = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pending.add(client.submit("never", new byte[] {(byte) i}));
    }
    client.close();
    for (CompletableFuture<byte[]> f : pending) {
      assertThat(f).isCompletedExceptionally();
      assertThat(connectionFailure(f)).hasMessage("client closed");
    }
    client.close();
    assertThat(client.inFlight()).isZero();
    assertThat(connectionFailure(client.submit("echo", new byte[0]))).hasMessage("client closed");
  }

  @Test
  void byteBufferPayloadsAreSentWithoutMovingTheCallersPosition() {
    ByteBuffer heap = ByteBuffer.wrap("xxheap".getBytes(UTF_8)).position(2);
    ByteBuffer direct = ByteBuffer.allocateDirect(16).put("direct".getBytes(UTF_8)).flip();
    assertThat(client.submit("echo", heap).join()).asString(UTF_8).isEqualTo("heap");
    assertThat(client.submit("echo", direct, TaskOptions.defaults().withNoRetry()).join())
        .asString(UTF_8)
        .isEqualTo("direct");
    assertThat(heap.position()).isEqualTo(2);
    assertThat(direct.remaining()).isEqualTo(6);
  }

  @Test
  void tasksSubmittedFromCallbacksOnTheEventLoopAreSent() {
    CompletableFuture<byte[]> chain = client.submit("echo", new byte[] {0});
    for (int i = 1; i <= 100; i++) {
      byte[] next = {(byte) i};
      chain = chain.thenCompose(r -> client.submit("echo", next));
    }
    assertThat(chain.join()).containsExactly(100);
  }

  @Test
  void cancellingForgetsTheTask() {
    CompletableFuture<byte[]> f = client.submit("never", new byte[0]);
    await().until(() -> master.received() == 1);
    assertThat(f.cancel(false)).isTrue();
    await().until(() -> client.inFlight() == 0);
  }

  @Test
  void requestLargerThanTheClientsMaxFrameFailsLocally() {
    try (DroverClient c = DroverClient.builder().port(master.port()).maxFrameBytes(1024).build()) {
      DroverTaskException e = taskFailure(c.submit("echo", new byte[2000]));
      assertThat(e.status()).isEqualTo(TaskStatus.FRAME_TOO_LARGE);
      assertThat(e.detail()).isEqualTo("request of 2017 bytes (2 KiB) exceeds the maximum frame of 1 KiB (1024 bytes); the client's"
          + " maxFrameBytes and the master's --max-frame-bytes (at most 1 GiB) can raise it");
      assertThat(c.submit("echo", new byte[10]).join()).hasSize(10);
    }
  }

  @Test
  void invalidArgumentsAreRejectedWithClearMessages() {
    assertThatThrownBy(() -> client.submit("echo", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: 0 s (expected: > 0)");
    assertThatThrownBy(() -> client.submit("", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type: '' (expected: 1-255 UTF-8 bytes)");
    assertThatThrownBy(() -> client.submit("x".repeat(256), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.submit(null, new byte[0])).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.submit("echo", (ByteBuffer) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("payload");
  }

  @Test
  void connectingToAClosedPortFailsClearly() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ThrowingCallable connect = () -> DroverClient.connect("127.0.0.1", port);
    assertThatThrownBy(connect)
        .isInstanceOf(DroverConnectionException.class)
        .hasMessageStartingWith("cannot connect to the Drover master at 127.0.0.1:" + port);
  }

  @Test
  void closeLeavesSharedEventLoopsRunning() {
    try (ClientEventLoops loops = ClientEventLoops.create(1)) {
      DroverClient c = DroverClient.builder().port(master.port()).eventLoops(loops).build();
      assertThat(c.submit("echo", new byte[] {7}).join()).containsExactly(7);
      c.close();
      assertThat(loops.group().isShuttingDown()).isFalse();
      try (DroverClient again = DroverClient.builder().port(master.port()).eventLoops(loops).build()) {
        assertThat(again.ping()).succeedsWithin(Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void closingSharedEventLoopsFailsTheTasksOfTheirClients() {
    ClientEventLoops loops = ClientEventLoops.create(1);
    try (DroverClient c = DroverClient.builder().port(master.port()).eventLoops(loops).build()) {
      CompletableFuture<byte[]> never = c.submit("never", new byte[0]);
      loops.close();
      assertThat(loops.group().isTerminated()).isTrue();
      // Whichever comes first fails it: the channel closing, or the loop's termination seen by
      // the connection (a race on a busy machine); both say what happened.
      assertThat(connectionFailure(never)).hasMessageMatching("(?s).*(closed|event loop .* has shut down).*");
      assertThat(c.inFlight()).isZero();
    }
  }

  @Test
  void closeFromACallbackOnTheEventLoopFailsTheRest() {
    CompletableFuture<byte[]> never = client.submit("never", new byte[0]);
    CompletableFuture<byte[]> echo = client.submit("echo", new byte[0]);
    echo.thenRun(client::close);
    assertThat(connectionFailure(never)).hasMessage("client closed");
    assertThat(echo).isCompleted();
  }

  private static DroverTaskException taskFailure(CompletableFuture<?> future) {
    return failure(future, DroverTaskException.class);
  }

  private static DroverConnectionException connectionFailure(CompletableFuture<?> future) {
    return failure(future, DroverConnectionException.class);
  }
}
