package io.drover.master.internal.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskOptions;
import io.drover.client.TaskStatus;
import io.drover.master.DroverMaster;
import io.drover.master.config.SharedMemorySettings;
import io.drover.master.status.SharedMemorySnapshot;
import io.drover.master.status.WorkerSnapshot;
import io.drover.master.testing.TestMasters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Large payloads through shared memory with a real worker JVM: bytes arrive unchanged, blocks are
 * freed when results arrive, when tasks are cancelled or time out, and when their worker is
 * killed; a full region falls back to the socket. The region is small (2 MiB) so that it fills.
 */
class SharedMemoryIT {
  private static final int THRESHOLD = 64 * 1024;
  private static DroverMaster master;
  private static DroverClient client;

  @BeforeAll
  static void start() throws Exception {
    master =
        DroverMaster.start(
            TestMasters.configWithDiagnostics(1)
                .workerCapacity(4)
                .maxInFlightPerWorker(8)
                .sharedMemory(new SharedMemorySettings(2L << 20, THRESHOLD))
                .build());
    client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (master != null) {
      master.close();
    }
  }

  @BeforeEach
  void regionEmpty() {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 0 && shm().blocks() == 0);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> master.workers().size() == 1);
  }

  private static SharedMemorySnapshot shm() {
    return master.sharedMemory();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void largeAndSmallEchoesArriveByteForByte() throws Exception {
    long sharedBefore = shm().payloadsShared();
    int[] sizes = {1 << 20, THRESHOLD, 10, THRESHOLD - 1, 300_000, 0, 5000};
    List<byte[]> payloads = new ArrayList<>();
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int size : sizes) {
        byte[] p = random(size, size * 31L + round);
        payloads.add(p);
        results.add(client.submit("echo", p));
      }
    }
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(results.get(i).get(2, TimeUnit.MINUTES)).as("echo #%d", i).isEqualTo(payloads.get(i));
    }
    SharedMemorySnapshot after = shm();
    // Three per round are at or above the threshold; a full region may send some through the socket.
    assertThat(after.payloadsShared() + after.fallbacks()).isGreaterThanOrEqualTo(sharedBefore + 9);
    assertThat(after.payloadsShared()).isGreaterThan(sharedBefore);
    Awaitility.await().until(() -> shm().blocks() == 0 && shm().usedBytes() == 0);
  }

  @Test
  void resultsAboveTheThresholdComeBackThroughTheWorkersRegionWhichIsReleasedEachTime() throws Exception {
    // The worker's result region is 1 MiB here: each 1 MiB result fits only once the master has
    // released the one before.
    long results = shm().resultsShared();
    for (int i = 0; i < 5; i++) {
      byte[] big = random(1 << 20, 100 + i);
      assertThat(client.submit("echo", big).get(2, TimeUnit.MINUTES)).isEqualTo(big);
    }
    assertThat(shm().resultsShared()).isEqualTo(results + 5);
    byte[] small = random(THRESHOLD - 1, 7);
    assertThat(client.submit("echo", small).get(2, TimeUnit.MINUTES)).isEqualTo(small);
    byte[] atThreshold = random(THRESHOLD, 8);
    assertThat(client.submit("echo", atThreshold).get(2, TimeUnit.MINUTES)).isEqualTo(atThreshold);
    assertThat(shm().resultsShared()).isEqualTo(results + 6);
  }

  @Test
  void aFullRegionSendsThePayloadThroughTheSocket() throws Exception {
    CompletableFuture<byte[]> hang = client.submit("hang", random(1_500_000, 1));
    Awaitility.await().until(() -> shm().blocks() == 1);
    long fallbacks = shm().fallbacks();
    byte[] big = random(1 << 20, 2);
    assertThat(client.submit("echo", big).get(2, TimeUnit.MINUTES)).isEqualTo(big);
    assertThat(shm().fallbacks()).isEqualTo(fallbacks + 1);
    assertThat(hang.cancel(true)).isTrue();
    Awaitility.await().until(() -> shm().blocks() == 0 && shm().usedBytes() == 0);
  }

  @Test
  void aDeadlineFreesTheBlockOnceTheWorkerHasStopped() throws Exception {
    CompletableFuture<byte[]> hang =
        client.submit("hang", random(256 * 1024, 3), TaskOptions.defaults().withDeadline(Duration.ofMillis(300)));
    assertThatThrownBy(() -> hang.get(2, TimeUnit.MINUTES))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(DroverTaskException.class, e -> assertThat(e.status()).isEqualTo(TaskStatus.DEADLINE_EXCEEDED));
    Awaitility.await().until(() -> shm().blocks() == 0 && shm().usedBytes() == 0);
  }

  @Test
  void aKilledWorkersBlocksAreReclaimedAndTheRegionReused() throws Exception {
    List<CompletableFuture<byte[]>> hangs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      hangs.add(client.submit("hang", random(300_000, 10 + i), TaskOptions.defaults().withNoRetry()));
    }
    Awaitility.await().until(() -> shm().blocks() == 3);
    WorkerSnapshot worker = master.workers().get(0);
    ProcessHandle.of(worker.pid()).orElseThrow().destroyForcibly();
    for (CompletableFuture<byte[]> hang : hangs) {
      assertThatThrownBy(() -> hang.get(2, TimeUnit.MINUTES))
          .cause()
          .isInstanceOfSatisfying(DroverTaskException.class, e -> assertThat(e.status()).isEqualTo(TaskStatus.WORKER_CRASHED));
    }
    Awaitility.await().until(() -> shm().blocks() == 0 && shm().usedBytes() == 0);
    // The replacement worker maps the same region and gets payloads through it.
    Awaitility.await().atMost(Duration.ofSeconds(60))
        .until(() -> master.workers().size() == 1 && master.workers().get(0).pid() != worker.pid());
    long shared = shm().payloadsShared();
    byte[] big = random(1 << 20, 4);
    assertThat(client.submit("echo", big).get(2, TimeUnit.MINUTES)).isEqualTo(big);
    assertThat(shm().payloadsShared()).isEqualTo(shared + 1);
    Awaitility.await().until(() -> shm().blocks() == 0);
  }
}
