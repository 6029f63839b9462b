package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.drover.client.DroverClient;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.status.WorkerSnapshot;
import io.drover.master.status.WorkerState;
import io.drover.master.internal.supervise.WorkerSupervisor;
import io.drover.master.status.WorkerTransition;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Heartbeats reach the supervisor through the dispatch loop, so a loop that stalls (a long GC
 * pause, blocking work) silences every worker at once. The master must not blame the workers.
 */
@ExtendWith(LeakDetectionExtension.class)
class DispatchLoopStallIT {
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  /** Blocks the calling thread for {@code d}: the stall under test. */
  static void stall(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    for (long left; (left = end - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  private Set<Long> pids() {
    return master.workers().stream().map(WorkerSnapshot::pid).collect(Collectors.toSet());
  }

  @Test
  void aDispatchLoopStalledLongerThanTheHeartbeatTimeoutKillsNoWorker() throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    SupervisionSettings fast =
        SupervisionSettings.builder()
            .heartbeatInterval(Duration.ofMillis(200))
            .heartbeatTimeout(timeout)
            .killGrace(Duration.ofSeconds(1))
            .build();
    try (LogCapture log = LogCapture.of(WorkerSupervisor.class)) {
      master = DroverMaster.start(TestMasters.config(2).supervision(fast).build());
      Set<Long> before = pids();
      int transitionsBefore = master.workerTransitions().size();

      master.runOnDispatchLoop(() -> stall(Duration.ofSeconds(3))).get(60, TimeUnit.SECONDS);

      // Any late verdict on the workers would come within a heartbeat timeout or two of the stall.
      await("no worker replaced")
          .during(timeout.multipliedBy(2))
          .atMost(Duration.ofSeconds(30))
          .until(() -> master.workerTransitions().size() == transitionsBefore && pids().equals(before));
      List<WorkerTransition> after = master.workerTransitions();
      assertThat(after.subList(transitionsBefore, after.size())).as("transitions after the stall").isEmpty();
      assertThat(after).noneMatch(t -> t.to() == WorkerState.BACKING_OFF);
      assertThat(pids()).isEqualTo(before);
      try (DroverClient c = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          results.add(c.submit("echo", ("after-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i).get(60, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("after-" + i);
        }
      }
      List<ILoggingEvent> stallWarnings =
          log.events(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("did not respond for"));
      assertThat(stallWarnings).as(LogCapture.describe(log.events())).hasSize(1);
      Matcher ms = Pattern.compile("did not respond for (\\d+) ms").matcher(stallWarnings.get(0).getFormattedMessage());
      assertThat(ms.find()).isTrue();
      assertThat(Long.parseLong(ms.group(1))).as("stall length named in the warning").isGreaterThanOrEqualTo(2_000);
      assertThat(log.errors()).as(LogCapture.describe(log.events())).isEmpty();
    }
  }
}
