package io.drover.bench.fuzz;

import io.drover.client.DroverClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A fuzzing run against a master's client port: {@code connections} hostile connections for
 * {@code duration} while a bystander client runs echo tasks. The result passes when the master
 * broke no rule of PROTOCOL.md and every bystander task succeeded.
 *
 * @param maxFrameBytes the master's maximum frame size (its {@code --max-frame-bytes})
 * @param seed the seed of every connection's frames (connection {@code i} uses the {@code i}-th
 *     seed split from it), printed so that a failing run can be repeated
 */
public record FuzzRun(
    String host, int port, int connections, Duration duration, int maxFrameBytes, long seed, int bystanderInFlight) {

  /** How long a connection waits for its probe's answer before it reports the master stalled. */
  static final int PROBE_TIMEOUT_MILLIS = 120_000;

  /** Checks the settings. */
  public FuzzRun {
    if (connections < 1) {
      throw new IllegalArgumentException("connections: " + connections + " (expected: > 0)");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
    }
    if (bystanderInFlight < 1) {
      throw new IllegalArgumentException("bystanderInFlight: " + bystanderInFlight + " (expected: > 0)");
    }
  }

  /** What a run saw. */
  public record Result(FuzzRun run, FuzzTally tally, long bystanderSucceeded, long bystanderFailed, String bystanderFailure, double seconds) {
    /** No violation, no failed bystander task, and the bystander did run tasks. */
    public boolean passed() {
      return tally.violationCount() == 0 && bystanderFailed == 0 && bystanderSucceeded > 0;
    }

    /** The JSON report. */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("passed", passed());
      map.put("seed", run.seed());
      map.put("connections", run.connections());
      map.put("seconds", Math.round(seconds * 10) / 10.0);
      map.put("fuzz", tally.toMap());
      Map<String, Object> bystander = new LinkedHashMap<>();
      bystander.put("succeeded", bystanderSucceeded);
      bystander.put("failed", bystanderFailed);
      bystander.put("first_failure", bystanderFailure);
      map.put("bystander", bystander);
      return map;
    }

    /** A few lines for people. */
    public String describe() {
      StringBuilder s = new StringBuilder();
      s.append(String.format(
          "fuzz         %,d frames on %,d connections (%d at once) in %.1f s, seed %d%n",
          tally.sentTotal(), tally.connections(), run.connections(), seconds, run.seed()));
      s.append(String.format(
          "answers      %,d probes answered, %,d echoes checked, %,d closes after framing errors%n",
          tally.probes(), tally.echoesChecked(), tally.closedByMaster()));
      s.append(String.format("bystander    %,d tasks succeeded, %,d failed%s%n",
          bystanderSucceeded, bystanderFailed, bystanderFailure == null ? "" : " (first: " + bystanderFailure + ")"));
      s.append(String.format("violations   %d%n", tally.violationCount()));
      for (String v : tally.violations()) {
        s.append("  ").append(v).append(System.lineSeparator());
      }
      s.append(passed() ? "PASSED" : "FAILED");
      return s.toString();
    }
  }

  /** Runs the fuzzing connections and the bystander, and waits for both. */
  public Result run(DroverClient bystanderClient) throws InterruptedException {
    FuzzTally tally = new FuzzTally();
    InetSocketAddress master = new InetSocketAddress(host, port);
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    SplittableRandom seeds = new SplittableRandom(seed);
    List<Thread> threads = new ArrayList<>(connections);
    Bystander bystander = new Bystander(bystanderClient, bystanderInFlight);
    bystander.start();
    for (int i = 0; i < connections; i++) {
      String name = "fuzz connection " + i;
      Thread t = new Thread(new FuzzConnection(name, master, maxFrameBytes, seeds.split().nextLong(), deadline, PROBE_TIMEOUT_MILLIS, tally), name);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(duration.toMillis() + 2L * PROBE_TIMEOUT_MILLIS + TimeUnit.MINUTES.toMillis(1));
      if (t.isAlive()) {
        tally.violation(t.getName() + " still running long after the deadline");
      }
    }
    bystander.close();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(this, tally, bystander.succeeded(), bystander.failed(), bystander.firstFailure(), seconds);
  }
}
