package io.drover.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.master.DroverMaster;
import io.drover.master.config.MasterConfig;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fuzzing harness against a real master (in this JVM, so that Netty's paranoid leak detection
 * watches it; its workers are real JVMs), for a bounded time: 64 hostile connections, a bystander
 * whose every task must succeed, nothing in PROTOCOL.md broken, no buffer leaked, the workers
 * untouched, and the pooled memory bounded. {@code scripts/bench-fuzz} runs the same for longer.
 */
@ExtendWith(LeakDetectionExtension.class)
class FuzzTest {
  private static final Path MASTER_TARGET = Path.of("..", "master", "target").toAbsolutePath().normalize();

  @Test
  void sixtyFourHostileConnectionsBreakNothingAndTheBystanderSeesNoFailure() throws Exception {
    MasterConfig config =
        MasterConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .adminPort(0)
            .workers(2)
            .workerCapacity(4)
            .workerRuntimeClasspath(List.of(existing("drover.jar")))
            .workerClasspath(List.of(existing("drover-examples.jar")))
            .build();
    AtomicLong peakPooledBytes = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    FuzzRun.Result result;
    try (DroverMaster master = DroverMaster.start(config)) {
      List<Long> pids = master.workerPids();
      sampler.scheduleAtFixedRate(
          () -> peakPooledBytes.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max),
          0, 50, TimeUnit.MILLISECONDS);
      int port = master.clientAddress().getPort();
      FuzzRun run = new FuzzRun("127.0.0.1", port, 64, Duration.ofSeconds(15), config.maxFrameBytes(), 20261201L, 16);
      try (DroverClient bystander = DroverClient.connect("127.0.0.1", port)) {
        result = run.run(bystander);
      }
      System.out.println(result.describe());
      System.out.printf("peak pooled direct memory: %,d bytes%n", peakPooledBytes.get());
      assertThat(result.tally().violations()).isEmpty();
      assertThat(result.bystanderFailed()).as(result.bystanderFailure()).isZero();
      assertThat(result.bystanderSucceeded()).isPositive();
      for (FrameShape shape : FrameShape.values()) {
        assertThat(result.tally().sent(shape)).as(shape.name()).isPositive();
      }
      assertThat(result.tally().probes()).isPositive();
      assertThat(result.tally().echoesChecked()).isPositive();
      assertThat(result.tally().closedByMaster()).isPositive();
      // Hostile clients reach no worker: the same two serve on.
      assertThat(master.workerPids()).containsExactlyInAnyOrderElementsOf(pids);
      // Bounded: the master holds at most a frame being read per connection (16 KiB reads) and
      // the answers it writes; 256 MiB is far above that and far below the machine's memory.
      assertThat(peakPooledBytes.get()).isLessThan(256L << 20);
    } finally {
      sampler.shutdownNow();
    }
  }

  private static Path existing(String name) {
    Path p = MASTER_TARGET.resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: the master module is built before this one");
    }
    return p;
  }
}
