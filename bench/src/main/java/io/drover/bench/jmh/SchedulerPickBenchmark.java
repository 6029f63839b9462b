package io.drover.bench.jmh;

import io.drover.master.internal.schedule.LeastLoadedScheduler;
import io.drover.master.internal.schedule.Schedulable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link LeastLoadedScheduler#pick} over 4 and 64 workers of mixed capacities (1, 2, 4, 8; cap
 * 4 × capacity), as the dispatcher calls it once per dispatch. Each operation is one pick, the
 * dispatch it causes (the picked worker's count goes up) and one completion on a pseudo-randomly
 * chosen busy worker (its count goes down), so the load keeps shifting, the total stays steady at
 * about half the workers' caps, and nothing can be constant-folded. {@link #churnOnly} measures
 * the dispatch/completion bookkeeping without the pick, to subtract.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsPrepend = {"-XX:+UseParallelGC"})
public class SchedulerPickBenchmark {
  /** Workers serving the task type. */
  @Param({"4", "64"})
  public int workers;

  private final LeastLoadedScheduler scheduler = new LeastLoadedScheduler(new SplittableRandom(42));
  private List<Worker> candidates;
  private Worker[] array;
  private long seed = 0x9E3779B97F4A7C15L;

  /** Creates the workers, each holding about half its cap. */
  @Setup(Level.Trial)
  public void setUp() {
    candidates = new ArrayList<>(workers);
    array = new Worker[workers];
    for (int i = 0; i < workers; i++) {
      int capacity = 1 << (i % 4);
      Worker w = new Worker(capacity, 4 * capacity);
      w.outstanding = w.inFlightCap / 2;
      candidates.add(w);
      array[i] = w;
    }
  }

  /** One pick, its dispatch and one completion elsewhere. */
  @Benchmark
  public Worker pick() {
    Worker w = scheduler.pick(candidates);
    if (w != null) {
      w.outstanding++;
    }
    completeOne();
    return w;
  }

  /** The same bookkeeping as {@link #pick} with a round-robin choice instead of the scheduler. */
  @Benchmark
  public Worker churnOnly() {
    Worker w = array[(int) (seed & 0x7FFFFFFF) % array.length];
    if (w.outstanding < w.inFlightCap) {
      w.outstanding++;
    }
    completeOne();
    return w;
  }

  /** Completes a task on a pseudo-random busy worker (xorshift; the next busy one after it). */
  private void completeOne() {
    long x = seed;
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    seed = x;
    int n = array.length;
    int start = (int) ((x >>> 1) % n);
    for (int i = 0; i < n; i++) {
      Worker w = array[(start + i) % n];
      if (w.outstanding > 0) {
        w.outstanding--;
        return;
      }
    }
  }

  /** A worker as the scheduler sees it; the benchmark moves its outstanding count. */
  public static final class Worker implements Schedulable {
    final int capacity;
    final int inFlightCap;
    int outstanding;

    Worker(int capacity, int inFlightCap) {
      this.capacity = capacity;
      this.inFlightCap = inFlightCap;
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
      return inFlightCap;
    }

    @Override
    public boolean acceptsTasks() {
      return true;
    }
  }
}
