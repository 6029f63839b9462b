package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopProbeTest {
  private static final long STALL = TimeUnit.SECONDS.toNanos(1);

  /** A dispatch loop the test runs by hand. */
  private static final class ManualLoop implements WorkerConnections {
    final List<Runnable> tasks = new ArrayList<>();
    boolean refuse;

    @Override
    public void disconnect(long pid) {}

    @Override
    public void drain(long pid) {}

    @Override
    public void execute(Runnable task) {
      if (refuse) {
        throw new RejectedExecutionException("shut down");
      }
      tasks.add(task);
    }

    void runAll() {
      tasks.forEach(Runnable::run);
      tasks.clear();
    }
  }

  @Test
  void aProbeAnsweredInTimeMovesHeardUntilToWhenItWasSent() {
    ManualLoop loop = new ManualLoop();
    long start = System.nanoTime();
    LoopProbe probe = new LoopProbe(loop, STALL, start);
    long sent = System.nanoTime();
    probe.send(sent);
    assertThat(probe.collect()).as("no answer yet").isZero();
    assertThat(probe.heardUntil()).isEqualTo(start);
    loop.runAll();
    assertThat(probe.collect()).isZero();
    assertThat(probe.heardUntil()).isEqualTo(sent);
  }

  @Test
  void onlyOneProbeIsInFlight() {
    ManualLoop loop = new ManualLoop();
    LoopProbe probe = new LoopProbe(loop, STALL, System.nanoTime());
    probe.send(System.nanoTime());
    probe.send(System.nanoTime());
    assertThat(loop.tasks).hasSize(1);
  }

  @Test
  void aProbeAnsweredLateReportsTheStallOnce() {
    ManualLoop loop = new ManualLoop();
    long tenSecondsAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
    LoopProbe probe = new LoopProbe(loop, STALL, tenSecondsAgo);
    probe.send(tenSecondsAgo); // the loop stalls from here until runAll
    loop.runAll();
    assertThat(probe.collect()).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(10));
    assertThat(probe.collect()).as("reported once").isZero();
  }

  @Test
  void aProbeTheLoopRefusedIsSentAgain() {
    ManualLoop loop = new ManualLoop();
    LoopProbe probe = new LoopProbe(loop, STALL, System.nanoTime());
    loop.refuse = true;
    assertThatThrownBy(() -> probe.send(System.nanoTime())).isInstanceOf(RejectedExecutionException.class);
    loop.refuse = false;
    probe.send(System.nanoTime());
    assertThat(loop.tasks).hasSize(1);
  }
}
