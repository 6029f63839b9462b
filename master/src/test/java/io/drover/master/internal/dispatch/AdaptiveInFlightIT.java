package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.master.DroverMaster;
import io.drover.master.config.InFlightLimit;
import io.drover.master.status.WorkerSnapshot;
import io.drover.master.testing.TestMasters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The adaptive in-flight limit with real worker JVMs: quick tasks get a pipeline deeper than the
 * old fixed default of 4 × capacity, slow ones wait in the master instead of piling up inside the
 * worker. Only counts are asserted, never speed.
 */
class AdaptiveInFlightIT {

  @Test
  void quickTasksGrowAWorkersLimitPastFourTimesItsCapacity() throws Exception {
    // A generous queue delay, so that a busy machine's scheduling hiccups do not stop the growth:
    // the mechanism is what is tested here, the default's tuning in bench/RESULTS.md.
    InFlightLimit limit = InFlightLimit.DEFAULT.withAdaptive(1024, Duration.ofMillis(50));
    try (DroverMaster master = DroverMaster.start(TestMasters.config(1).workerCapacity(4).inFlightLimit(limit).build());
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      Semaphore window = new Semaphore(512);
      byte[] payload = "x".repeat(64).getBytes(StandardCharsets.US_ASCII);
      Thread load =
          new Thread(
              () -> {
                while (running.get()) {
                  window.acquireUninterruptibly();
                  client.submit("echo", payload).whenComplete((r, e) -> {
                    (e == null && r.length == 64 ? ok : failed).incrementAndGet();
                    window.release();
                  });
                }
              },
              "load");
      load.start();
      try {
        Awaitility.await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> master.workers().stream().mapToInt(WorkerSnapshot::inFlightLimit).max().orElse(0) > 4 * 4);
      } finally {
        running.set(false);
        load.join();
      }
      window.acquire(512);
      assertThat(failed.get()).isZero();
      assertThat(ok.get()).isPositive();
      assertThat(master.workers()).allSatisfy(w -> assertThat(w.inFlightLimit()).isBetween(4, 1024));
    }
  }

  @Test
  void slowTasksWaitInTheMasterRatherThanInsideTheWorker() throws Exception {
    // Two handler threads, 30 tasks of 100 ms at once: under the old fixed default (4 × 2 = 8)
    // the worker took 8 and 6 of them waited inside it; now the limit grows by at most one step
    // past the capacity before the first task that queued inside the worker stops it.
    try (DroverMaster master = DroverMaster.start(TestMasters.config(1).workerCapacity(2).build());
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      AtomicInteger mostOnWorker = new AtomicInteger();
      AtomicBoolean done = new AtomicBoolean();
      Thread watch =
          new Thread(
              () -> {
                while (!done.get()) {
                  for (WorkerSnapshot w : master.workers()) {
                    mostOnWorker.accumulateAndGet(w.outstanding(), Math::max);
                  }
                }
              },
              "watch");
      watch.start();
      List<CompletableFuture<byte[]>> all = new ArrayList<>();
      try {
        for (int round = 0; round < 3; round++) {
          all.clear();
          for (int i = 0; i < 30; i++) {
            all.add(client.submit("sleep", "100".getBytes(StandardCharsets.US_ASCII)));
          }
          CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }
      } finally {
        done.set(true);
        watch.join();
      }
      assertThat(mostOnWorker.get()).as("most tasks the worker held at once").isBetween(2, 3);
      assertThat(master.workers().get(0).inFlightLimit()).isBetween(2, 3);
    }
  }
}
