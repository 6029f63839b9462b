package io.drover.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.bench.loadgen.LoadGenerator;
import io.drover.bench.loadgen.LoadReport;
import io.drover.bench.loadgen.LoadSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BaselineRelayTest {
  private static BaselineRelay relay;

  @BeforeAll
  static void startRelay() throws InterruptedException {
    relay = BaselineRelay.start("127.0.0.1", 0, 2);
  }

  @AfterAll
  static void stopRelay() {
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void everyEchoedFrameReturnsToItsSenderClosedLoop() throws Exception {
    LoadReport report =
        new LoadGenerator(
                new LoadSettings("127.0.0.1", relay.port(), "echo", 64, 1, 0.2, 3, 32, 0, 10, true, 100))
            .run();

    assertThat(report.ok()).isPositive();
    assertThat(report.errors()).isZero();
    assertThat(report.histogram().getTotalCount()).isEqualTo(report.ok());
    assertThat(report.unexpectedReplies()).isZero();
    assertThat(report.connectionFailures()).isEmpty();
  }

  @Test
  void largeFramesAreRelayedIntact() throws Exception {
    LoadReport report =
        new LoadGenerator(
                new LoadSettings("127.0.0.1", relay.port(), "echo", 64 * 1024, 0.5, 0, 2, 4, 0, 10, true, 100))
            .run();

    assertThat(report.ok()).isPositive();
    assertThat(report.errors()).isZero();
  }

  @Test
  void openLoopThroughTheRelayHasNoErrors() throws Exception {
    LoadReport report =
        new LoadGenerator(
                new LoadSettings("127.0.0.1", relay.port(), "echo", 64, 0.5, 0.1, 2, 64, 1000, 10, true, 100))
            .run();

    assertThat(report.ok()).isPositive();
    assertThat(report.errors()).isZero();
    assertThat(report.histogram().getTotalCount()).isEqualTo(report.ok());
  }

  @Test
  void closingTheRelayStopsItsBackends() throws Exception {
    BaselineRelay own = BaselineRelay.start("127.0.0.1", 0, 1);
    List<Long> pids = own.backendPids();
    assertThat(pids).hasSize(1).allMatch(pid -> ProcessHandle.of(pid).isPresent());

    own.close();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
  }
}
