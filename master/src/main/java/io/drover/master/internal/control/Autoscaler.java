package io.drover.master.internal.control;

import io.drover.master.config.AutoscaleSettings;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Decides the pool's size from samples of its load, one a second: the decision half of
 * autoscaling, with no clock or thread of its own (tests feed it samples). The algorithm is
 * Kubernetes' horizontal pod autoscaler's: for each sample, {@code desired = ceil(ready x load /
 * target)} (and the same for CPU when its target is set; the larger wins), unchanged within 10% of
 * the target, kept within min..max. It grows the pool only to the least desired over the whole up
 * window (a burst must last), shrinks it only to the most desired over the whole down window (a
 * lull is not idleness), and changes nothing within the cooldown of its last change: so it never
 * flaps between two sizes. Owned by one thread.
 */
final class Autoscaler {
  /** Differences from the target within this fraction of it are not acted on. */
  static final double TOLERANCE = 0.1;

  /**
   * One look at the pool.
   *
   * @param nanos when ({@link System#nanoTime})
   * @param poolSize workers in the pool, ready or not
   * @param ready workers ready and accepting
   * @param load tasks on the ready workers and waiting in the master, per unit of their capacity
   * @param cpuCores mean CPU of the ready workers, in cores
   */
  record Sample(long nanos, int poolSize, int ready, double load, double cpuCores) {}

  /**
   * What to do: scale to {@code workers}, or nothing when it is -1.
   *
   * @param reason one line: the figures that decided
   */
  record Decision(int workers, String reason) {
    static final Decision NONE = new Decision(-1, null);

    boolean scales() {
      return workers >= 0;
    }
  }

  private record Wanted(long nanos, int workers) {}

  private final ArrayDeque<Wanted> history = new ArrayDeque<>();
  private long firstSampleNanos = Long.MIN_VALUE;
  private long lastChangeNanos = Long.MIN_VALUE;

  /** How many workers {@code s} calls for under {@code a}, within min..max. */
  static int desired(Sample s, AutoscaleSettings a) {
    if (s.ready() == 0) {
      return Math.max(a.min(), Math.min(a.max(), s.poolSize())); // nothing to measure yet
    }
    int wanted = byRatio(s.ready(), s.load() / a.target());
    if (a.cpuTarget() > 0) {
      wanted = Math.max(wanted, byRatio(s.ready(), s.cpuCores() / a.cpuTarget()));
    }
    return Math.max(a.min(), Math.min(a.max(), wanted));
  }

  private static int byRatio(int ready, double ratio) {
    if (Math.abs(ratio - 1) <= TOLERANCE) {
      return ready;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.ceil(ready * ratio - 1e-9));
  }

  /** Takes one sample; returns the change to make, if any, and remembers it as made. */
  Decision offer(Sample s, AutoscaleSettings a) {
    if (firstSampleNanos == Long.MIN_VALUE) {
      firstSampleNanos = s.nanos();
    }
    int want = desired(s, a);
    history.addLast(new Wanted(s.nanos(), want));
    long keep = Math.max(a.upWindow().toNanos(), a.downWindow().toNanos());
    while (!history.isEmpty() && s.nanos() - history.peekFirst().nanos() > keep) {
      history.removeFirst();
    }
    int n = s.poolSize();
    if (lastChangeNanos != Long.MIN_VALUE && s.nanos() - lastChangeNanos < a.cooldown().toNanos()) {
      return Decision.NONE;
    }
    if (n < a.min() || n > a.max()) {
      return change(s, Math.max(a.min(), Math.min(a.max(), n)), "the pool is outside " + a.min() + ".." + a.max());
    }
    long observed = s.nanos() - firstSampleNanos;
    if (observed >= a.upWindow().toNanos()) {
      int least = extreme(s.nanos(), a.upWindow().toNanos(), true);
      if (least > n) {
        return change(s, least, figures(s, a) + ", more workers wanted for " + seconds(a.upWindow().toNanos()));
      }
    }
    if (observed >= a.downWindow().toNanos()) {
      int most = extreme(s.nanos(), a.downWindow().toNanos(), false);
      if (most < n) {
        return change(s, most, figures(s, a) + ", fewer workers wanted for " + seconds(a.downWindow().toNanos()));
      }
    }
    return Decision.NONE;
  }

  /** The least (or most) desired count among the samples of the last {@code window}. */
  private int extreme(long now, long window, boolean least) {
    int e = least ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (Wanted w : history) {
      if (now - w.nanos() <= window) {
        e = least ? Math.min(e, w.workers()) : Math.max(e, w.workers());
      }
    }
    return e;
  }

  private Decision change(Sample s, int workers, String why) {
    lastChangeNanos = s.nanos();
    history.clear(); // what was wanted of the old size says little about the new one
    firstSampleNanos = s.nanos();
    return new Decision(workers, s.poolSize() + " -> " + workers + " workers: " + why);
  }

  private static String figures(Sample s, AutoscaleSettings a) {
    String load = String.format(Locale.ROOT, "load %.2f per unit of capacity (target %.2f)", s.load(), a.target());
    return a.cpuTarget() > 0
        ? load + String.format(Locale.ROOT, ", CPU %.2f cores per worker (target %.2f)", s.cpuCores(), a.cpuTarget())
        : load;
  }

  private static String seconds(long nanos) {
    return io.drover.protocol.HumanUnits.duration(java.time.Duration.ofNanos(nanos)).replace(".000", "");
  }

  /** Forgets the samples (autoscaling was turned off, or its settings changed). */
  void reset() {
    history.clear();
    firstSampleNanos = Long.MIN_VALUE;
  }
}
