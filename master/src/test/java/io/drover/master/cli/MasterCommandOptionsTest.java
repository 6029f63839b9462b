package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.master.config.MasterConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code drover master}'s options become a {@link MasterConfig}, without starting one. */
class MasterCommandOptionsTest {
  private static MasterConfig config(String... args) {
    MasterCommand command = new MasterCommand();
    new CommandLine(command).parseArgs(args);
    return command.toConfig();
  }

  @Test
  void adminOptionsReachTheConfig() {
    // The default comes from $DROVER_ADMIN_PORT when set (the build sets it to 0 for tests).
    String env = System.getenv("DROVER_ADMIN_PORT");
    assertThat(config().adminPort()).isEqualTo(env == null ? MasterConfig.DEFAULT_ADMIN_PORT : Integer.parseInt(env));
    assertThat(config().adminHost()).isEqualTo("127.0.0.1");
    assertThat(config("--admin-port", "0").adminPort()).isZero();
    assertThat(config("--admin-port", "9999", "--admin-host", "0.0.0.0").adminHost()).isEqualTo("0.0.0.0");
    assertThat(config("--no-admin").adminEnabled()).isFalse();
  }

  @Test
  void mebibyteOptionsBecomeBytes() {
    MasterConfig c = config("--max-queued-mib", "3", "--max-worker-rss", "5");
    assertThat(c.maxQueuedBytes()).isEqualTo(3L << 20);
    assertThat(c.supervision().maxWorkerRssBytes()).isEqualTo(5L << 20);
  }

  @Test
  void workerLimitOptionsReachTheConfigWithSizesInUnits() {
    MasterConfig c =
        config("--worker-memory", "256MiB", "--worker-memory-high", "192M", "--worker-cpus", "0.5",
            "--worker-max-processes", "300", "--worker-max-open-files", "4096", "--limits-best-effort");
    assertThat(c.workerLimits())
        .isEqualTo(new io.drover.master.config.WorkerLimits(256L << 20, 192L << 20, 0.5, 300, 4096, true));
    assertThat(config("--worker-memory", "1.5GiB").workerLimits().memoryBytes()).isEqualTo(3L << 29);
    assertThat(config("--worker-memory", "268435456").workerLimits().memoryBytes()).isEqualTo(256L << 20);
    assertThat(config().workerLimits()).isEqualTo(io.drover.master.config.WorkerLimits.NONE);
  }

  @Test
  void aBadWorkerLimitIsRefusedNamingIt() {
    assertThatThrownBy(() -> config("--worker-memory", "lots"))
        .hasMessage("worker-memory: 'lots' (expected: a size such as 256MiB, 1GiB, 512M or a number of bytes)");
    assertThatThrownBy(() -> config("--worker-memory", "1MiB"))
        .hasMessage("memoryBytes: 1048576 (expected: 33554432..1125899906842624)");
    assertThatThrownBy(() -> config("--worker-memory", "256MiB", "--worker-memory-high", "512MiB"))
        .hasMessage("memoryHighBytes: 536870912 (expected: 33554432..268435456)");
    assertThatThrownBy(() -> config("--worker-cpus", "0.001"))
        .hasMessage("cpus: 0.001 (expected: 0.01..4096, or 0 for no limit)");
    assertThatThrownBy(() -> config("--worker-max-open-files", "-1"))
        .hasMessage("maxOpenFiles: -1 (expected: 0..1073741824)");
  }

  @Test
  void aMebibyteCountWhoseBytesWouldOverflowIsRefusedNotWrapped() {
    // (2^44 + 1) MiB × 2^20 wraps to exactly 1 MiB in a long.
    String wraps = Long.toString((1L << 44) + 1);
    assertThatThrownBy(() -> config("--max-queued-mib", wraps))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max-queued-mib: 17592186044417 (expected: 1..1073741824)");
    assertThatThrownBy(() -> config("--max-worker-rss", wraps))
        .hasMessage("max-worker-rss: 17592186044417 (expected: 0..1073741824)");
    assertThatThrownBy(() -> config("--max-queued-mib", "0"))
        .hasMessage("max-queued-mib: 0 (expected: 1..1073741824)");
  }

  @Test
  void secondsTooLargeForTheirNanosecondsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> config("--heartbeat-timeout", "1e300"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("heartbeatTimeout: ")
        .hasMessageEndingWith("(expected: <= 24 d)");
  }

  @Test
  void aBadSettingExitsWithUsageStatusAndItsMessage() {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    int exit;
    try {
      exit = DroverCli.run("master", "--max-frame-bytes", "100");
    } finally {
      System.setErr(err);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("drover master: --max-frame-bytes: 100 (expected: >= 8192)" + System.lineSeparator());
  }
}
