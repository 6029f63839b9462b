package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoadGeneratorTest {
  private static LoadSettings closedLoop(int port) {
    return new LoadSettings("127.0.0.1", port, "echo", 64, 0.5, 0.2, 2, 8, 0, 5, false, 100);
  }

  @Test
  void closedLoopCountsOkRepliesAndErrorsByStatus() throws Exception {
    try (FakeMaster master = new FakeMaster(4)) {
      LoadReport report = new LoadGenerator(closedLoop(master.port())).run();

      assertThat(report.ok()).isPositive();
      assertThat(report.histogram().getTotalCount()).isEqualTo(report.ok());
      assertThat(report.errorsByStatus()).containsOnlyKeys("OVERLOADED");
      assertThat(report.errors()).isPositive();
      assertThat(report.tasksPerSecond()).isPositive();
      assertThat(report.connectionFailures()).isEmpty();
      assertThat(report.exitCode()).isEqualTo(1);
    }
  }

  @Test
  void afterAGoAwayTheRunGoesOnOnANewConnectionResendingWhatWasRefusedWithoutAnError() throws Exception {
    try (FakeMaster master = new FakeMaster(0, FakeMaster.FirstConnection.GOES_AWAY, 200)) {
      LoadReport report = new LoadGenerator(closedLoop(master.port())).run();

      assertThat(report.errorsByStatus()).isEmpty();
      assertThat(report.ok()).isPositive();
      assertThat(report.reconnects()).isEqualTo(1);
      assertThat(report.toMap()).containsEntry("reconnects", 1L);
      assertThat(master.accepted()).isEqualTo(3); // 2 connections, the first replaced once
      assertThat(report.exitCode()).isZero();
    }
  }

  @Test
  void aLostConnectionIsReplacedAndItsTasksSentAgainWithoutAnError() throws Exception {
    try (FakeMaster master = new FakeMaster(0, FakeMaster.FirstConnection.IS_DROPPED, 200)) {
      LoadReport report = new LoadGenerator(closedLoop(master.port())).run();

      assertThat(report.errorsByStatus()).isEmpty();
      assertThat(report.ok()).isPositive();
      assertThat(report.reconnects()).isEqualTo(1);
      assertThat(report.connectionFailures()).isEmpty();
      assertThat(report.exitCode()).isZero();
    }
  }

  @Test
  void openLoopSendsOnScheduleAndExitsZeroWithoutErrors() throws Exception {
    try (FakeMaster master = new FakeMaster(0)) {
      LoadSettings settings =
          new LoadSettings("127.0.0.1", master.port(), "echo", 16, 1.5, 0.2, 2, 64, 2000, 5, false, 100);
      LoadReport report = new LoadGenerator(settings).run();

      assertThat(report.ok()).isPositive();
      assertThat(report.errors()).isZero();
      assertThat(report.histogram().getTotalCount()).isEqualTo(report.ok());
      // Never more than the schedule allows: 2000/s over the window, plus the one due at its start.
      // How much of it a busy machine manages is a speed, not checked here (keptUp() reports it).
      assertThat(report.sentPerSecond()).isLessThanOrEqualTo(2000 + 1 / report.windowSeconds());
      assertThat(report.exitCode()).isZero();
    }
  }

  @Test
  void refusedConnectionIsAnError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    LoadSettings settings = closedLoop(port);

    assertThatThrownBy(() -> new LoadGenerator(settings).run())
        .isInstanceOf(LoadGeneratorException.class)
        .hasMessageContaining("cannot connect to 127.0.0.1:" + port);
  }

  @Test
  void commandExitsTwoOnBadOptionsAndWritesTheHistogram(@TempDir Path dir) throws Exception {
    assertThat(new CommandLine(new LoadGeneratorCommand()).execute("--connections", "0")).isEqualTo(2);

    try (FakeMaster master = new FakeMaster(0)) {
      Path histogram = dir.resolve("latency.hgrm");
      int code =
          new CommandLine(new LoadGeneratorCommand())
              .execute(
                  "--port", String.valueOf(master.port()), "--duration", "0.3", "--warmup", "0",
                  "--connections", "1", "--concurrency", "4", "--json",
                  "--histogram", histogram.toString());

      assertThat(code).isZero();
      assertThat(Files.readString(histogram)).contains("Percentile", "#[Max");
    }
  }
}
