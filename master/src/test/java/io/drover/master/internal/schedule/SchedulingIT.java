package io.drover.master.internal.schedule;

import io.drover.master.config.SchedulerKind;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.client.TaskOptions;
import io.drover.master.DroverMaster;
import io.drover.master.testing.TestMasters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Scheduling strategies with real worker JVMs. Counts and orderings only, never wall-clock targets. */
class SchedulingIT {
  @Test
  void consistentHashSendsEachKeyToOneWorker() throws Exception {
    try (DroverMaster master =
            DroverMaster.start(TestMasters.configWithDiagnostics(3).scheduler(SchedulerKind.CONSISTENT_HASH).build());
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      Map<String, List<CompletableFuture<byte[]>>> byKey = new HashMap<>();
      // Four in flight (the workers' capacity): no worker reaches its in-flight cap or the load
      // bound, where affinity deliberately yields.
      Semaphore window = new Semaphore(4);
      for (int round = 0; round < 5; round++) {
        for (int k = 0; k < 300; k++) {
          String key = "customer-" + k;
          window.acquire();
          CompletableFuture<byte[]> f =
              client.submit("whoami", new byte[0], TaskOptions.defaults().withRoutingKey(key));
          f.whenComplete((r, e) -> window.release());
          byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(f);
        }
      }
      Map<String, Integer> perWorker = new HashMap<>();
      for (Map.Entry<String, List<CompletableFuture<byte[]>>> e : byKey.entrySet()) {
        List<String> answers = new ArrayList<>();
        for (CompletableFuture<byte[]> f : e.getValue()) {
          answers.add(new String(f.get(30, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
        }
        assertThat(answers).as("workers that served %s", e.getKey()).containsOnly(answers.get(0));
        perWorker.merge(answers.get(0), 1, Integer::sum);
      }
      assertThat(perWorker).as("keys per worker").hasSize(3);
    }
  }

  /**
   * {@code skewed} tasks run through one master of three workers (one slow), 24 at a time,
   * recording where each ran and how long it took.
   */
  private static final class SkewedLoad implements AutoCloseable {
    final DroverMaster master;
    final DroverClient client;
    final Map<String, Integer> perWorker = new ConcurrentHashMap<>();
    final Histogram latency = new Histogram(60_000_000L, 3);

    SkewedLoad(SchedulerKind kind) throws Exception {
      // 32 handler threads: the workers' in-flight limits (never below the capacity) do not bind
      // at 24 tasks in flight, so that where the tasks go is the scheduler's doing alone.
      this(TestMasters.configWithDiagnostics(3).workerCapacity(32).scheduler(kind));
    }

    SkewedLoad(io.drover.master.config.MasterConfigBuilder config) throws Exception {
      master = DroverMaster.start(config.build());
      client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
    }

    /** Runs {@code tasks} tasks and waits for all of them. */
    void run(int tasks) throws Exception {
      Semaphore window = new Semaphore(24);
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        window.acquire();
        long start = System.nanoTime();
        all.add(
            client
                .submit("skewed", new byte[0])
                .thenAccept(
                    r -> {
                      long micros = (System.nanoTime() - start) / 1_000;
                      synchronized (latency) {
                        latency.recordValue(micros);
                      }
                      perWorker.merge(new String(r, StandardCharsets.US_ASCII), 1, Integer::sum);
                    })
                .whenComplete((v, e) -> window.release()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    long p99Micros() {
      synchronized (latency) {
        return latency.getValueAtPercentile(99);
      }
    }

    /** Tasks the slow worker ran: slot 1 has instance index 0, the slow one. */
    int slowWorkerTasks() {
      return perWorker.getOrDefault("worker=1", 0);
    }

    @Override
    public void close() {
      client.close();
      master.close();
    }
  }

  @Test
  void leastLoadedSendsASlowWorkerFewerTasksThanRoundRobin() throws Exception {
    try (SkewedLoad roundRobin = new SkewedLoad(SchedulerKind.ROUND_ROBIN);
        SkewedLoad leastLoaded = new SkewedLoad(SchedulerKind.LEAST_LOADED)) {
      // The two strategies take turns in short rounds, so that whatever else the machine does
      // during the run falls on both alike. (Running both at once would instead double the load
      // each one sees.) Only counts are asserted: which tail is lower is a benchmark's question,
      // and on a busy 2-core machine a p99 comparison lost to the noise (issue 11's runs).
      for (int round = 0; round < 10; round++) {
        SkewedLoad first = round % 2 == 0 ? roundRobin : leastLoaded;
        SkewedLoad second = first == roundRobin ? leastLoaded : roundRobin;
        first.run(150);
        second.run(150);
      }
      System.out.printf("round-robin %s p99 %d us; least-loaded %s p99 %d us%n",
          roundRobin.perWorker, roundRobin.p99Micros(), leastLoaded.perWorker, leastLoaded.p99Micros());
      assertThat(leastLoaded.slowWorkerTasks()).isLessThan(roundRobin.slowWorkerTasks());
    }
  }

  @Test
  void theAdaptiveLimitKeepsRoundRobinFromPilingTasksOntoTheSlowWorker() throws Exception {
    // 16 handler threads each, 24 tasks in flight: round-robin sends every third task to the slow
    // worker, where they pile up. A fixed cap of 64 lets all of them; the adaptive limit stops the
    // slow worker near its capacity (its 20 ms tasks queue at once), and the rest go elsewhere.
    try (SkewedLoad fixed =
            new SkewedLoad(TestMasters.configWithDiagnostics(3).scheduler(SchedulerKind.ROUND_ROBIN).maxInFlightPerWorker(64));
        SkewedLoad adaptive = new SkewedLoad(TestMasters.configWithDiagnostics(3).scheduler(SchedulerKind.ROUND_ROBIN))) {
      for (int round = 0; round < 10; round++) {
        SkewedLoad first = round % 2 == 0 ? fixed : adaptive;
        SkewedLoad second = first == fixed ? adaptive : fixed;
        first.run(150);
        second.run(150);
      }
      System.out.printf("round-robin, fixed cap 64 %s; adaptive %s%n", fixed.perWorker, adaptive.perWorker);
      assertThat(adaptive.slowWorkerTasks()).isLessThan(fixed.slowWorkerTasks());
    }
  }

  @Test
  void underContentionHighPriorityTasksGoFirstAndLowOnesStillRun() throws Exception {
    try (DroverMaster master =
            DroverMaster.start(
                TestMasters.configWithDiagnostics(1).workerCapacity(1).maxInFlightPerWorker(1).build());
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      // Occupy the only slot, then queue 10 tasks of each priority, low ones first.
      CompletableFuture<byte[]> blocker = client.submit("sleep", "500".getBytes(StandardCharsets.US_ASCII));
      org.awaitility.Awaitility.await().until(() -> master.tasksInProgress() == 1);
      List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (io.drover.client.TaskPriority p :
          List.of(io.drover.client.TaskPriority.LOW, io.drover.client.TaskPriority.NORMAL, io.drover.client.TaskPriority.HIGH)) {
        for (int i = 0; i < 10; i++) {
          all.add(client.submit("whoami", new byte[0], TaskOptions.defaults().withPriority(p)).thenAccept(r -> order.add(p.name())));
        }
      }
      org.awaitility.Awaitility.await().until(() -> master.tasksInProgress() == 31);
      blocker.get(30, TimeUnit.SECONDS);
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(order).hasSize(30);
      assertThat(order.get(0)).isEqualTo("HIGH");
      assertThat(meanRank(order, "HIGH")).isLessThan(meanRank(order, "NORMAL"));
      assertThat(meanRank(order, "NORMAL")).isLessThan(meanRank(order, "LOW"));
      assertThat(order.subList(0, 10)).as("low is not starved while others wait").contains("LOW");
    }
  }

  private static double meanRank(List<String> order, String priority) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).equals(priority)) {
        sum += i;
        n++;
      }
    }
    return sum / n;
  }
}
