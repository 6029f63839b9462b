package io.drover.client;

import static io.drover.client.testing.FutureFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.testing.FakeMaster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client follows its master: after a GOAWAY it moves to a new connection, and after a lost
 * connection it reconnects and sends again what may be sent again, within bounds.
 */
class ClientFollowsMasterTest {
  @RegisterExtension final FakeMaster master = new FakeMaster(64 * 1024);

  private DroverClientBuilder client() {
    return DroverClient.builder().port(master.port()).reconnectBackoff(Duration.ofMillis(10));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void afterAGoAwayARequestRefusedOnTheOldConnectionIsSentOnANewOneAndTheOldOnesAnswerStillArrives() {
    try (DroverClient c = client().build()) {
      CompletableFuture<byte[]> held = c.submit("hold", utf8("h"));
      await().until(() -> master.received() == 1);
      // Answered GOAWAY, then SHUTTING_DOWN, on the first connection; echoed on the next.
      CompletableFuture<byte[]> crossing = c.submit("crossing", utf8("moved"));
      assertThat(crossing).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(utf8("moved"));
      assertThat(master.accepted()).isEqualTo(2);
      assertThat(c.reconnects()).isEqualTo(1);
      assertThat(c.submit("echo", utf8("new")).join()).isEqualTo(utf8("new"));
      assertThat(held).isNotDone();
      master.answerHeld(); // on the first connection, which stayed open for it
      assertThat(held).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(utf8("late"));
      // It held nothing more: the client closed it.
      await().until(() -> master.openConnections() == 1);
      assertThat(c.inFlight()).isZero();
    }
  }

  @Test
  void aRequestRefusedAfterAGoAwayFailsShuttingDownWhenNoMasterTakesANewConnection() {
    try (DroverClient c = client().reconnectTimeout(Duration.ofMillis(300)).build()) {
      DroverTaskException refused = failure(c.submit("last", utf8("x")), DroverTaskException.class);
      assertThat(refused.status()).isEqualTo(TaskStatus.SHUTTING_DOWN);
      assertThat(refused)
          .hasMessageContaining("this connection is going away; no master took a new connection to 127.0.0.1:")
          .hasMessageContaining("within 300 ms (reconnectTimeout)");
      assertThat(c.inFlight()).isZero();
    }
  }

  @Test
  void aLostConnectionsRetryableTasksAreSentAgainAndNoRetryOnesFailSayingWhy() {
    try (DroverClient c = client().build()) {
      // A client that has talked to its master: a connection it closes unanswered was lost, not refused for TLS.
      assertThat(c.submit("echo", utf8("first")).join()).isEqualTo(utf8("first"));
      CompletableFuture<byte[]> retryable = c.submit("hold", utf8("r"));
      CompletableFuture<byte[]> noRetry = c.submit("hold", utf8("n"), TaskOptions.defaults().withNoRetry());
      await().until(() -> master.received() == 3);
      master.closeConnections();
      assertThat(failure(noRetry, DroverConnectionException.class))
          .hasMessageContaining("was lost")
          .hasMessageContaining("not sent again because it is no_retry");
      await().until(() -> master.received() == 4); // the retryable one, on a new connection
      master.answerHeld();
      assertThat(retryable).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(utf8("late"));
      assertThat(c.reconnects()).isEqualTo(1);
      assertThat(c.inFlight()).isZero();
    }
  }

  @Test
  void whenNoConnectionCanBeMadeWithinTheBoundWaitingTasksFailWithAClearException() {
    try (DroverClient c = client().reconnectTimeout(Duration.ofMillis(300)).build()) {
      // A client that has talked to its master: a connection it closes unanswered was lost, not refused for TLS.
      assertThat(c.submit("echo", utf8("first")).join()).isEqualTo(utf8("first"));
      CompletableFuture<byte[]> task = c.submit("never", utf8("x"));
      await().until(() -> master.received() == 2);
      master.stop();
      assertThat(failure(task, DroverConnectionException.class))
          .hasMessageStartingWith("could not reconnect to the Drover master at 127.0.0.1:" + master.port())
          .hasMessageContaining("within 300 ms (reconnectTimeout)");
      // Submitted later, while nothing listens: tries again, within the bound again.
      assertThat(failure(c.submit("echo", utf8("y")), DroverConnectionException.class))
          .hasMessageStartingWith("could not reconnect");
      assertThat(c.inFlight()).isZero();
    }
  }

  @Test
  void aTaskWaitingForAConnectionFailsAtItsOwnTimeoutNotAtTheReconnectBound() {
    try (DroverClient c = client().reconnectTimeout(Duration.ofHours(1)).build()) {
      // A client that has talked to its master: a connection it closes unanswered was lost, not refused for TLS.
      assertThat(c.submit("echo", utf8("first")).join()).isEqualTo(utf8("first"));
      CompletableFuture<byte[]> task = c.submit("never", utf8("x"), Duration.ofSeconds(2));
      await().until(() -> master.received() == 2);
      master.stop();
      assertThat(failure(task, DroverTaskException.class).status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED);
      assertThat(c.inFlight()).isZero();
    }
  }
}
