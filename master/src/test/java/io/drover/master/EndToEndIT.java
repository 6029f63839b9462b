package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.status.WorkerSnapshot;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.drover.master.testing.TestMasters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real worker JVMs, real sockets: tasks go in over TCP and come back right. */
@ExtendWith(LeakDetectionExtension.class)
class EndToEndIT {
  private static DroverMaster master;

  @BeforeAll
  static void startMaster() throws Exception {
    master = TestMasters.start(3);
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void tenThousandMixedTasksFromFourConnectionsThroughThreeWorkersAllReturnTheRightResult()
      throws Exception {
    assertThat(master.workers()).hasSize(3);
    long[] servedBefore = master.workers().stream().mapToLong(WorkerSnapshot::completed).toArray();
    int clients = 4;
    int perClient = 2_500;
    List<DroverClient> connections = new ArrayList<>();
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        connections.add(DroverClient.connect("127.0.0.1", master.clientAddress().getPort()));
      }
      for (int c = 0; c < clients; c++) {
        DroverClient client = connections.get(c);
        Semaphore window = new Semaphore(256);
        for (int i = 0; i < perClient; i++) {
          window.acquire();
          String text = "client-" + c + "-task-" + i;
          CompletableFuture<Void> check = submitAndCheck(client, i % 3, text);
          check.whenComplete((v, e) -> window.release());
          checks.add(check);
        }
      }
      CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    } finally {
      connections.forEach(DroverClient::close);
    }
    assertThat(checks).hasSize(10_000).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    List<WorkerSnapshot> after = master.workers();
    long total = 0;
    for (int i = 0; i < after.size(); i++) {
      long served = after.get(i).completed() - servedBefore[i];
      assertThat(served).as("tasks served by %s", after.get(i)).isGreaterThan(0);
      total += served;
    }
    assertThat(total).isEqualTo(10_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 0);
  }

  private static CompletableFuture<Void> submitAndCheck(DroverClient client, int kind, String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return switch (kind) {
      case 0 -> client.submit("echo", payload).thenAccept(r -> assertThat(r).isEqualTo(payload));
      case 1 -> client.submit("sha256", payload)
          .thenAccept(r -> assertThat(new String(r, StandardCharsets.US_ASCII)).isEqualTo(sha256(payload)));
      default -> client.submit("sleep", "0".getBytes(StandardCharsets.US_ASCII))
          .thenAccept(r -> assertThat(new String(r, StandardCharsets.US_ASCII)).isEqualTo("0"));
    };
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
