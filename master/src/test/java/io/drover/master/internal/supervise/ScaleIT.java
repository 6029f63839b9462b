package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.DroverMaster;
import io.drover.master.status.WorkerSnapshot;
import io.drover.master.status.WorkerState;
import io.drover.master.status.WorkerTransition;
import io.drover.master.testing.SteadyLoad;
import io.drover.master.testing.TestMasters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DroverMaster#scale} on a real master with real worker JVMs, under load. */
class ScaleIT {
  private static final Duration GUARD = Duration.ofMinutes(2);
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private String scale(int workers) throws Exception {
    return master.scale(workers).toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private List<Integer> registeredIds() {
    return master.workers().stream().map(WorkerSnapshot::workerId).sorted().toList();
  }

  /** Waits until the load has had {@code more} tasks answered since now. */
  private static void progress(SteadyLoad load, int more) {
    long from = load.succeeded();
    await("load progressing").atMost(GUARD).until(() -> load.succeeded() >= from + more);
  }

  @Test
  void twoToFourToOneUnderLoadFailsNoTaskAndTheRemovedWorkersExit() throws Exception {
    master = TestMasters.start(2);
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      SteadyLoad load = SteadyLoad.start(client, "sleep", "20".getBytes(StandardCharsets.US_ASCII), 24);
      try {
        progress(load, 50);

        assertThat(scale(4)).isEqualTo("scaling up from 2 to 4 workers: starting workers 3, 4");
        assertThat(master.poolSize()).isEqualTo(4);
        await("four workers registered").atMost(GUARD).until(() -> registeredIds().equals(List.of(1, 2, 3, 4)));
        // The new workers take tasks.
        long doneBy3And4 = doneBy(3) + doneBy(4);
        await("workers 3 and 4 serving").atMost(GUARD).until(() -> doneBy(3) + doneBy(4) > doneBy3And4 + 20);

        List<Long> pidsAtFour = new ArrayList<>(master.workerPids());
        assertThat(scale(1)).isEqualTo("scaling down from 4 to 1 workers: draining and removing workers 2, 3, 4");
        assertThat(master.poolSize()).isEqualTo(1);
        await("the removed workers' processes gone").atMost(GUARD).until(() -> master.workerPids().size() == 1);
        long kept = master.workerPids().get(0);
        for (long pid : pidsAtFour) {
          if (pid != kept) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
          }
        }
        assertThat(registeredIds()).containsExactly(1);
        progress(load, 50);
      } finally {
        load.close();
      }
      assertThat(load.failures()).isEmpty();
    }
    // Each removed worker drained and exited by itself (code 0): not killed, not restarted.
    List<WorkerTransition> t = master.workerTransitions();
    for (int id = 2; id <= 4; id++) {
      int slot = id;
      assertThat(t)
          .filteredOn(x -> x.workerId() == slot && x.to() == WorkerState.STOPPED)
          .singleElement()
          .satisfies(x -> assertThat(x.reason()).isEqualTo("left the pool (scaled down): exited (exit code 0)"));
      assertThat(t).filteredOn(x -> x.workerId() == slot && x.to() == WorkerState.DRAINING).hasSize(1);
    }
  }

  private long doneBy(int workerId) {
    return master.workers().stream().filter(w -> w.workerId() == workerId).mapToLong(WorkerSnapshot::completed).sum();
  }

  @Test
  void scalingUpAgainTakesBackTheFreedIdsAndARepeatIsANoOp() throws Exception {
    master = TestMasters.start(3);
    assertThat(scale(1)).isEqualTo("scaling down from 3 to 1 workers: draining and removing workers 2, 3");
    await().atMost(GUARD).until(() -> master.workerPids().size() == 1);
    assertThat(scale(1)).isEqualTo("the pool has 1 workers already");
    assertThat(scale(2)).isEqualTo("scaling up from 1 to 2 workers: starting worker 2");
    await().atMost(GUARD).until(() -> registeredIds().equals(List.of(1, 2)));
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      assertThat(new String(client.submit("echo", "hi".getBytes(StandardCharsets.US_ASCII)).get(1, TimeUnit.MINUTES), StandardCharsets.US_ASCII))
          .isEqualTo("hi");
    }
  }

  @Test
  void aPoolSizeOutOfRangeIsRefusedAndChangesNothing() throws Exception {
    master = TestMasters.start(1);
    assertThatThrownBy(() -> master.scale(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("workers: 0 (expected: 1..1024)");
    assertThatThrownBy(() -> master.scale(1025)).hasMessage("workers: 1025 (expected: 1..1024)");
    assertThat(master.poolSize()).isEqualTo(1);
  }

  @Test
  void aScaleDuringShutdownIsRefused() throws Exception {
    master = TestMasters.start(1);
    master.close();
    assertThatThrownBy(() -> scale(2)).hasCauseInstanceOf(IllegalStateException.class);
  }
}
