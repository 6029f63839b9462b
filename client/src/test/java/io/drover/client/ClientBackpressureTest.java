package io.drover.client;

import static io.drover.client.testing.FutureFailures.failure;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.testing.FakeMaster;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DroverClientBuilder#maxInFlight(int)}: the client's bound on requests in flight. */
@ExtendWith(LeakDetectionExtension.class)
class ClientBackpressureTest {
  private static final Duration LONG = Duration.ofHours(1);

  @RegisterExtension final FakeMaster master = new FakeMaster(64 * 1024);

  private DroverClientBuilder client(int maxInFlight, Duration maxBlock) {
    return DroverClient.builder()
        .port(master.port())
        .maxInFlight(maxInFlight)
        .maxBlock(maxBlock)
        .reconnectTimeout(Duration.ofMillis(200));
  }

  @Test
  void inFlightNeverExceedsTheLimitAndABlockedCallerResumesAsAnswersArrive() throws Exception {
    int limit = 50;
    int total = 3 * limit;
    try (DroverClient c = client(limit, LONG).build()) {
      Queue<CompletableFuture<byte[]>> futures = new ConcurrentLinkedQueue<>();
      Thread submitter =
          new Thread(
              () -> {
                for (int i = 0; i < total; i++) {
                  futures.add(c.submit("hold", new byte[] {(byte) i}));
                }
              });
      submitter.start();
      // The master holds every answer back: the submitter stops at the limit and waits.
      await().until(() -> master.received() == limit);
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(60))
          .until(() -> master.received() == limit && waitingForRoom(submitter));
      assertThat(c.inFlight()).isEqualTo(limit);
      assertThat(futures).hasSize(limit);

      // Each answer makes room for one more request, until all are sent and answered.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                boolean allSubmitted = futures.size() == total; // before answered() looks at them
                return answered(futures) && allSubmitted;
              });
      submitter.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(futures).allSatisfy(f -> assertThat(f.join()).asString(UTF_8).isEqualTo("late"));
      assertThat(master.received()).isEqualTo(total);
      assertThat(master.peakHeld()).isLessThanOrEqualTo(limit);
      assertThat(c.inFlight()).isZero();
    }
  }

  @Test
  void aCallerFailsWithBackpressureAfterMaxBlock() {
    try (DroverClient c = client(2, Duration.ofMillis(100)).build()) {
      CompletableFuture<byte[]> first = c.submit("hold", new byte[0]);
      CompletableFuture<byte[]> second = c.submit("hold", new byte[0]);

      CompletableFuture<byte[]> refused = c.submit("echo", new byte[] {1});
      assertThat(refused).isCompletedExceptionally();
      DroverBackpressureException e = failure(refused, DroverBackpressureException.class);
      assertThat(e)
          .hasMessage("maxInFlight of 2 requests reached: none was answered within maxBlock 100 ms");
      assertThat(e.maxInFlight()).isEqualTo(2);
      assertThat(e).isInstanceOf(DroverClientException.class);
      // Jobs and pings count too.
      assertThat(c.submitJob(Job.builder("echo").add(new byte[0]).build()))
          .isCompletedExceptionally();
      assertThat(c.ping()).isCompletedExceptionally();
      assertThat(c.inFlight()).isEqualTo(2);

      await().until(() -> answered(List.of(first, second)));
      assertThat(first.join()).asString(UTF_8).isEqualTo("late");
      assertThat(second.join()).asString(UTF_8).isEqualTo("late");
      assertThat(c.submit("echo", new byte[] {2}).join()).containsExactly(2);
      assertThat(master.received()).isEqualTo(3); // the refused requests were never sent
    }
  }

  @Test
  void aSubmissionFromACallbackOnTheEventLoopFailsAtOnceInsteadOfBlocking() {
    try (DroverClient c = client(2, LONG).build()) {
      CompletableFuture<byte[]> first = c.submit("hold", new byte[0]);
      c.submit("hold", new byte[0]);
      // Runs on the event loop when the first answer arrives: that answer made room for one.
      CompletableFuture<List<CompletableFuture<byte[]>>> fromCallback =
          first.thenApply(r -> List.of(c.submit("never", new byte[0]), c.submit("echo", new byte[0])));
      await().until(() -> master.received() == 2);

      master.answerHeld();
      // Had the second submission waited for room, the event loop would be stuck for an hour.
      assertThat(fromCallback).succeedsWithin(Duration.ofSeconds(60));
      CompletableFuture<byte[]> tookTheRoom = fromCallback.join().get(0);
      CompletableFuture<byte[]> refused = fromCallback.join().get(1);
      assertThat(tookTheRoom).isNotDone();
      assertThat(failure(refused, DroverBackpressureException.class))
          .hasMessageStartingWith("maxInFlight of 2 requests reached: called on the client's event loop");
    }
  }

  @Test
  void aCallerWaitingForRoomGetsItWhenTheMasterIsGone() throws Exception {
    callerWaitingForRoomIsReleasedBy(c -> master.stop());
  }

  @Test
  void aCallerWaitingForRoomGetsItWhenTheClientCloses() throws Exception {
    callerWaitingForRoomIsReleasedBy(DroverClient::close);
  }

  private void callerWaitingForRoomIsReleasedBy(Consumer<DroverClient> closing) throws Exception {
    try (DroverClient c = client(1, LONG).build()) {
      CompletableFuture<byte[]> inFlight = c.submit("never", new byte[0]);
      CompletableFuture<CompletableFuture<byte[]>> waiting = new CompletableFuture<>();
      Thread submitter = new Thread(() -> waiting.complete(c.submit("echo", new byte[0])));
      submitter.start();
      await().until(() -> waitingForRoom(submitter));

      closing.accept(c);
      failure(inFlight, DroverConnectionException.class);
      assertThat(waiting).succeedsWithin(Duration.ofSeconds(60));
      failure(waiting.join(), DroverConnectionException.class);
      assertThat(c.inFlight()).isZero();
      submitter.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  @Test
  void noPermitLeaksAfterTenThousandMixedOutcomes() {
    int limit = 64;
    try (DroverClient c = client(limit, Duration.ZERO).maxFrameBytes(1024).build()) {
      int outcomes = 0;
      while (outcomes < 10_000) {
        List<CompletableFuture<?>> round = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++, outcomes++) {
          round.add(mixedOutcome(c, outcomes));
        }
        CompletableFuture.allOf(round.stream().map(f -> f.handle((r, e) -> e)).toArray(CompletableFuture[]::new))
            .join();
        assertThat(round)
            .noneMatch(f -> f.handle((r, e) -> e instanceof DroverBackpressureException).join());
        // A cancelled request leaves on the event loop, just after its future completes.
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> c.inFlight() == 0);
      }

      // All the room is back: exactly the limit fits, and not one more.
      List<CompletableFuture<byte[]>> held = new ArrayList<>();
      for (int i = 0; i < limit; i++) {
        held.add(c.submit("hold", new byte[0]));
      }
      assertThat(held).noneMatch(CompletableFuture::isDone);
      assertThat(failure(c.submit("echo", new byte[0]), DroverBackpressureException.class))
          .hasMessage("maxInFlight of 64 requests reached: maxBlock is zero");
      await().until(() -> answered(held));
      assertThat(held).allSatisfy(f -> assertThat(f.join()).asString(UTF_8).isEqualTo("late"));
      assertThat(c.inFlight()).isZero();
    }
  }

  /** A request with outcome number {@code n % 7}: answered OK or not, timed out, cancelled, or refused. */
  private static CompletableFuture<?> mixedOutcome(DroverClient c, int n) {
    return switch (n % 7) {
      case 0 -> c.submit("echo", new byte[] {(byte) n});
      case 1 -> c.submit("fail", new byte[0]);
      case 2 -> c.submit("odd", new byte[0]);
      case 3 -> c.submit("never", new byte[0], Duration.ofMillis(1));
      case 4 -> {
        CompletableFuture<byte[]> f = c.submit("never", new byte[0]);
        f.cancel(true);
        yield f;
      }
      case 5 -> c.ping();
      default -> c.submit("echo", new byte[2000]); // larger than a frame: refused before it takes room
    };
  }

  /** Answers the held requests the master has received, and says whether all of {@code futures} are done. */
  private boolean answered(Collection<? extends CompletableFuture<?>> futures) {
    master.answerHeld();
    return futures.stream().allMatch(CompletableFuture::isDone);
  }

  private static boolean waitingForRoom(Thread t) {
    Thread.State s = t.getState();
    return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
  }
}
