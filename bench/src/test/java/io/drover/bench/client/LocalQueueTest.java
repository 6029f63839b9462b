package io.drover.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.bench.RunningMaster;
import io.drover.client.DroverClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against a real master that reads at most 50 unanswered tasks per connection:
 * a client with far more tasks in flight queues the rest locally, and their timeouts start when
 * they are written, so tasks that wait in the client longer than their timeout still succeed.
 * (In the bench module because it can start a master; the client module cannot.)
 */
class LocalQueueTest {
  private static final int MASTER_LIMIT = 50;
  private static final int TASKS = 1_600;
  private static final int SLEEP_MS = 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @TempDir Path tmp;

  @Test
  void tasksQueuedInTheClientBeyondTheMastersLimitDoNotTimeOutWhileTheyWait() throws Exception {
    byte[] sleep = Integer.toString(SLEEP_MS).getBytes(StandardCharsets.US_ASCII);
    try (RunningMaster master =
            RunningMaster.start(tmp, "--workers", "1", "--max-in-flight-per-connection", Integer.toString(MASTER_LIMIT));
        DroverClient client =
            DroverClient.builder()
                .port(master.port())
                .maxOutstanding(MASTER_LIMIT)
                .maxInFlight(TASKS)
                .defaultTimeout(TIMEOUT)
                .build()) {
      long started = System.nanoTime();
      List<CompletableFuture<byte[]>> tasks = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        tasks.add(client.submit("sleep", sleep));
      }
      // The last ones wait in the client; cancelled there, they are never sent and free their room.
      List<CompletableFuture<byte[]>> cancelled = tasks.subList(TASKS - 100, TASKS);
      cancelled.forEach(f -> f.cancel(false));
      CompletableFuture.allOf(tasks.subList(0, TASKS - 100).toArray(new CompletableFuture<?>[0]))
          .get(2 * TASKS * SLEEP_MS, TimeUnit.MILLISECONDS); // fails with the first task that failed
      long elapsed = System.nanoTime() - started;

      for (CompletableFuture<byte[]> task : tasks.subList(0, TASKS - 100)) {
        assertThat(task.join()).asString(StandardCharsets.US_ASCII).isEqualTo(Integer.toString(SLEEP_MS));
      }
      assertThat(cancelled).allMatch(CompletableFuture::isCancelled);
      // The premise: one worker runs at most its capacity (16) at once, so the last tasks waited
      // (in the client) longer than their timeout before the master took them.
      assertThat(Duration.ofNanos(elapsed)).isGreaterThan(TIMEOUT);
      await().atMost(Duration.ofSeconds(10)).until(() -> client.inFlight() == 0);
    }
  }
}
