package io.drover.master.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LeastLoadedSchedulerTest {
  private final LeastLoadedScheduler scheduler = new LeastLoadedScheduler(new SplittableRandom(42));

  /** A worker as the scheduler sees it. */
  record FakeWorker(String name, int outstanding, int capacity, int inFlightCap, boolean acceptsTasks)
      implements Schedulable {
    static FakeWorker of(String name, int outstanding, int capacity) {
      return new FakeWorker(name, outstanding, capacity, 100, true);
    }

    /** outstanding / capacity as a comparable exact fraction. */
    boolean lessLoadedThan(FakeWorker o) {
      return (long) outstanding * o.capacity < (long) o.outstanding * capacity;
    }

    boolean eligible() {
      return acceptsTasks && outstanding < inFlightCap;
    }
  }

  @Test
  void picksLowestOutstandingToCapacityRatioAcrossMixedCapacities() {
    // Ratios: a 4/4 = 1.0, b 6/16 = 0.375, c 1/2 = 0.5, e 2/8 = 0.25.
    FakeWorker a = FakeWorker.of("a", 4, 4);
    FakeWorker b = FakeWorker.of("b", 6, 16);
    FakeWorker c = FakeWorker.of("c", 1, 2);
    FakeWorker e = FakeWorker.of("e", 2, 8); // 0.25: the unique minimum
    assertThat(scheduler.pick(List.of(a, b, c, e))).isSameAs(e);
    assertThat(scheduler.pick(List.of(e, c, b, a))).isSameAs(e);
  }

  @Test
  void prefersTheBigIdleWorkerOverTheSmallBusyOneEvenWithMoreOutstanding() {
    FakeWorker small = FakeWorker.of("small", 1, 1); // 1.0
    FakeWorker big = FakeWorker.of("big", 10, 32); // 0.3125
    assertThat(scheduler.pick(List.of(small, big))).isSameAs(big);
  }

  @Test
  void neverPicksAWorkerAtItsInFlightCap() {
    FakeWorker full = new FakeWorker("full", 2, 16, 2, true); // ratio 0.125 but at its cap
    FakeWorker busy = FakeWorker.of("busy", 3, 4); // ratio 0.75
    for (int i = 0; i < 100; i++) {
      assertThat(scheduler.pick(List.of(full, busy))).isSameAs(busy);
    }
  }

  @Test
  void neverPicksAWorkerThatDoesNotAcceptTasks() {
    FakeWorker draining = new FakeWorker("draining", 0, 8, 32, false);
    FakeWorker busy = FakeWorker.of("busy", 7, 8);
    for (int i = 0; i < 100; i++) {
      assertThat(scheduler.pick(List.of(draining, busy))).isSameAs(busy);
    }
  }

  @Test
  void returnsNullWhenEveryWorkerIsFullOrUnavailable() {
    FakeWorker full = new FakeWorker("full", 4, 1, 4, true);
    FakeWorker overFull = new FakeWorker("overFull", 9, 1, 4, true);
    FakeWorker draining = new FakeWorker("draining", 0, 1, 4, false);
    assertThat(scheduler.pick(List.of(full, overFull, draining))).isNull();
    assertThat(scheduler.pick(List.<FakeWorker>of())).isNull();
  }

  @Test
  void sharesTiesFairlyAmongEquallyLoadedWorkers() {
    // Three workers tied at 0.5 (different capacities), one less attractive and one ineligible.
    List<FakeWorker> workers =
        List.of(
            FakeWorker.of("t1", 1, 2),
            FakeWorker.of("worse", 3, 4),
            FakeWorker.of("t2", 2, 4),
            new FakeWorker("capped", 0, 4, 0, true),
            FakeWorker.of("t3", 8, 16));
    Map<String, Integer> counts = new HashMap<>();
    int picks = 30_000;
    for (int i = 0; i < picks; i++) {
      counts.merge(scheduler.pick(workers).name(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("t1", "t2", "t3");
    // Each should get a third; 5% of the total is far beyond the binomial noise (~0.3%).
    for (int n : counts.values()) {
      assertThat(n).isBetween(picks / 3 - picks / 20, picks / 3 + picks / 20);
    }
  }

  @Test
  void tieBreaksFollowTheSeed() {
    List<FakeWorker> tied = List.of(FakeWorker.of("a", 0, 1), FakeWorker.of("b", 0, 1), FakeWorker.of("c", 0, 1));
    LeastLoadedScheduler first = new LeastLoadedScheduler(new SplittableRandom(7));
    LeastLoadedScheduler second = new LeastLoadedScheduler(new SplittableRandom(7));
    for (int i = 0; i < 50; i++) {
      assertThat(first.pick(tied)).isSameAs(second.pick(tied));
    }
  }

  @Property(tries = 500)
  void pickIsAlwaysOneOfTheMinimumRatioEligibleWorkers(
      @ForAll("workers") List<FakeWorker> workers, @ForAll long seed) {
    FakeWorker picked = new LeastLoadedScheduler(new SplittableRandom(seed)).pick(workers);
    List<FakeWorker> eligible = workers.stream().filter(FakeWorker::eligible).toList();
    if (eligible.isEmpty()) {
      assertThat(picked).isNull();
      return;
    }
    assertThat(picked).isNotNull();
    assertThat(picked.eligible()).isTrue();
    assertThat(eligible).noneMatch(w -> w.lessLoadedThan(picked));
    assertThat(workers).anyMatch(w -> w == picked);
  }

  @Provide
  Arbitrary<List<FakeWorker>> workers() {
    Arbitrary<FakeWorker> worker =
        Combinators.combine(
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(1, 16),
                Arbitraries.integers().between(1, 40),
                Arbitraries.of(true, true, true, false))
            .as((out, cap, inFlightCap, accepts) -> new FakeWorker("w", out, cap, inFlightCap, accepts));
    return worker.list().ofMinSize(0).ofMaxSize(12).map(ArrayList::new);
  }
}
