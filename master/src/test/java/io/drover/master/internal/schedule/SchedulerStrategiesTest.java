package io.drover.master.internal.schedule;

import io.drover.master.config.SchedulerKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulerStrategiesTest {
  /** A worker as a scheduler sees it, with every input settable. */
  static final class Fake implements Schedulable {
    final int id;
    int outstanding;
    int capacity = 4;
    int cap = 16;
    boolean accepting = true;
    double cpu;
    double mem;
    double serviceTime;

    Fake(int id) {
      this.id = id;
    }

    @Override
    public int outstanding() {
      return outstanding;
    }

    @Override
    public int capacity() {
      return capacity;
    }

    @Override
    public int inFlightCap() {
      return cap;
    }

    @Override
    public boolean acceptsTasks() {
      return accepting;
    }

    @Override
    public int workerId() {
      return id;
    }

    @Override
    public double cpuLoad() {
      return cpu;
    }

    @Override
    public double memoryLoad() {
      return mem;
    }

    @Override
    public double serviceTimeNanos() {
      return serviceTime;
    }

    @Override
    public String toString() {
      return "w" + id;
    }
  }

  private static List<Fake> workers(int n) {
    List<Fake> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(new Fake(i));
    }
    return list;
  }

  @Test
  void roundRobinTakesWorkersInTurnAndSkipsFullOnes() {
    List<Fake> w = workers(3);
    RoundRobinScheduler rr = new RoundRobinScheduler();
    assertThat(List.of(rr.pick(w), rr.pick(w), rr.pick(w), rr.pick(w)))
        .containsExactly(w.get(0), w.get(1), w.get(2), w.get(0));
    w.get(1).outstanding = 16;
    assertThat(List.of(rr.pick(w), rr.pick(w))).containsExactly(w.get(2), w.get(0));
    w.forEach(f -> f.accepting = false);
    assertThat(rr.pick(w)).isNull();
  }

  @Test
  void powerOfTwoChoicesFavoursTheLessLoadedAndNeverAFullWorker() {
    List<Fake> w = workers(3);
    w.get(0).outstanding = 0;
    w.get(1).outstanding = 10;
    w.get(2).outstanding = 16;
    PowerOfTwoChoicesScheduler p2c = new PowerOfTwoChoicesScheduler(new SplittableRandom(1));
    Map<Fake, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      counts.merge(p2c.pick(w), 1, Integer::sum);
    }
    assertThat(counts).doesNotContainKey(w.get(2));
    assertThat(counts.get(w.get(0))).isGreaterThan(counts.getOrDefault(w.get(1), 0) * 2);
  }

  @Test
  void consistentHashSendsAKeyToTheSameWorkerEveryTime() {
    List<Fake> w = workers(4);
    ConsistentHashScheduler ch = new ConsistentHashScheduler();
    for (long key = 1; key < 200; key++) {
      Fake first = ch.pick(w, key * 7919);
      assertThat(ch.pick(w, key * 7919)).isSameAs(first);
    }
  }

  @Test
  void addingAWorkerRemapsAboutOneNthOfTheKeys() {
    List<Fake> four = workers(4);
    List<Fake> five = workers(5);
    ConsistentHashScheduler ch = new ConsistentHashScheduler(1e9);
    int moved = 0;
    int keys = 10_000;
    for (long key = 1; key <= keys; key++) {
      long hash = ConsistentHashScheduler.mix(key);
      int before = ch.pick(four, hash).id;
      int after = ch.pick(five, hash).id;
      if (before != after) {
        moved++;
        assertThat(after).as("a moved key moves to the new worker").isEqualTo(5);
      }
    }
    // Ideal: 1/5 = 2,000 keys.
    assertThat(moved).isBetween(1_600, 2_400);
  }

  @Test
  void aHotKeysWorkerAboveTheLoadBoundIsSkipped() {
    List<Fake> w = workers(4);
    ConsistentHashScheduler ch = new ConsistentHashScheduler(1.25);
    long key = 42;
    Fake home = ch.pick(w, key);
    home.outstanding = 10; // above its capacity (4) and the bound: ceil(1.25 * 11 / 4) = 4
    Fake elsewhere = ch.pick(w, key);
    assertThat(elsewhere).isNotSameAs(home);
    home.outstanding = 0;
    assertThat(ch.pick(w, key)).isSameAs(home);
  }

  @Test
  void weightedPrefersTheWorkerWithTheBestReportedLoad() {
    List<Fake> w = workers(3);
    w.get(0).cpu = 0.9;
    w.get(1).cpu = 0.2;
    w.get(1).mem = 0.9;
    w.get(2).cpu = 0.3;
    w.get(2).mem = 0.3;
    // scores: w1 0.05+0.3+0.2 = 0.55; w2 0.4+0.03+0.2 = 0.63; w3 0.35+0.21+0.2 = 0.76
    assertThat(new WeightedScheduler().pick(w)).isSameAs(w.get(2));
    assertThat(WeightedScheduler.score(w.get(2))).isCloseTo(0.76, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void peakEwmaSteersAroundASlowWorker() {
    List<Fake> w = workers(2);
    w.get(0).serviceTime = 50_000_000; // 50 ms: in a GC pause
    w.get(1).serviceTime = 100_000;
    PeakEwmaScheduler ewma = new PeakEwmaScheduler();
    int slow = 0;
    for (int i = 0; i < 1_000; i++) {
      if (ewma.pick(w) == w.get(0)) {
        slow++;
      }
    }
    // Only when both samples land on the slow worker (about a quarter of the time).
    assertThat(slow).isLessThan(350);
  }

  @Test
  void schedulerKindsAreNamedAsInTheSettings() {
    assertThat(Schedulers.create(SchedulerKind.of("least-loaded"))).isInstanceOf(LeastLoadedScheduler.class);
    assertThat(Schedulers.create(SchedulerKind.of("P2C"))).isInstanceOf(PowerOfTwoChoicesScheduler.class);
    assertThat(Schedulers.create(SchedulerKind.of("consistent-hash"))).isInstanceOf(ConsistentHashScheduler.class);
    assertThatThrownBy(() -> SchedulerKind.of("random"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheduler: 'random'")
        .hasMessageContaining("peak-ewma");
  }
}
