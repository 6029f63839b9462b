package io.drover.master.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.FrameLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MasterConfigTest {
  private static final List<Path> RUNTIME = List.of(Path.of("drover.jar"));

  private static MasterConfigBuilder builder() {
    return MasterConfig.builder().workerRuntimeClasspath(RUNTIME).workerClasspath(List.of());
  }

  private static void assertRejected(UnaryOperator<MasterConfigBuilder> setting, String message) {
    assertThatThrownBy(() -> setting.apply(builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void defaultsSuitASingleMachine() {
    MasterConfig c = MasterConfig.builder().build();
    assertThat(c.port()).isEqualTo(7070).isEqualTo(MasterConfig.DEFAULT_PORT);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.workerCapacity()).isEqualTo(16);
    assertThat(c.maxInFlightPerWorker()).isEqualTo(64);
    assertThat(c.maxFrameBytes()).isEqualTo(FrameLimits.DEFAULT_MAX_FRAME_BYTES);
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.workerMainClass()).isEqualTo(MasterConfig.DEFAULT_WORKER_MAIN);
    assertThat(c.workerStartTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.workerRuntimeClasspath()).isNotEmpty();
    assertThat(c.runtimeDirectoryParent()).isNull();
  }

  @Test
  void inFlightCapDefaultsToFourTimesTheWorkerCapacity() {
    assertThat(builder().workerCapacity(3).build().maxInFlightPerWorker()).isEqualTo(12);
    assertThat(builder().workerCapacity(1).build().maxInFlightPerWorker()).isEqualTo(4);
  }

  @Test
  void explicitInFlightCapWins() {
    assertThat(builder().workerCapacity(3).maxInFlightPerWorker(5).build().maxInFlightPerWorker())
        .isEqualTo(5);
  }

  @Test
  void fullWorkerClasspathPutsTheRuntimeBeforeTheHandlers() {
    MasterConfig c =
        builder().workerClasspath(List.of(Path.of("a.jar"), Path.of("b.jar"))).build();
    assertThat(c.fullWorkerClasspath())
        .containsExactly(Path.of("drover.jar"), Path.of("a.jar"), Path.of("b.jar"));
  }

  @Test
  void listsAreCopiedSoTheConfigStaysImmutable() {
    MasterConfig c = builder().workerJvmOptions(List.of("-Xmx64m")).build();
    assertThatThrownBy(() -> c.workerJvmOptions().add("-X")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.workerRuntimeClasspath().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void acceptsTheEdgesOfThePortRange() {
    assertThat(builder().port(0).build().port()).isZero();
    assertThat(builder().port(65535).build().port()).isEqualTo(65535);
  }

  @Test
  void rejectsZeroWorkers() {
    assertRejected(b -> b.workers(0), "workers: 0 (expected: > 0)");
    assertRejected(b -> b.workers(-2), "workers: -2 (expected: > 0)");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertRejected(b -> b.port(65536), "port: 65536 (expected: 0..65535)");
    assertRejected(b -> b.port(-1), "port: -1 (expected: 0..65535)");
  }

  @Test
  void rejectsANonPositiveWorkerCapacity() {
    assertRejected(b -> b.workerCapacity(0), "workerCapacity: 0 (expected: > 0)");
  }

  @Test
  void rejectsANegativeInFlightCap() {
    assertRejected(b -> b.maxInFlightPerWorker(-1), "maxInFlightPerWorker: -1 (expected: > 0)");
  }

  @Test
  void rejectsAMaxFrameBytesThatCannotHoldTheHeaderRoomTwice() {
    assertRejected(b -> b.maxFrameBytes(0), "maxFrameBytes: 0 (expected: >= 8192)");
    assertRejected(b -> b.maxFrameBytes(-5), "maxFrameBytes: -5 (expected: >= 8192)");
    assertRejected(b -> b.maxFrameBytes(100), "maxFrameBytes: 100 (expected: >= 8192)");
    // At the 4 KiB a job or a result keeps for its header, no body would fit at all.
    assertRejected(b -> b.maxFrameBytes(4096), "maxFrameBytes: 4096 (expected: >= 8192)");
    assertThat(builder().maxFrameBytes(8192).build().maxFrameBytes()).isEqualTo(8192);
  }

  @Test
  void rejectsZeroOrNegativeDurations() {
    assertRejected(b -> b.workerStartTimeout(Duration.ZERO), "workerStartTimeout: PT0S (expected: > 0)");
    assertRejected(
        b -> b.shutdownTimeout(Duration.ofSeconds(-1)), "shutdownTimeout: PT-1S (expected: > 0)");
  }

  @Test
  void rejectsMissingDurationsNamingThem() {
    assertThatThrownBy(() -> builder().shutdownTimeout(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("shutdownTimeout");
  }

  @Test
  void rejectsZeroMaxAttempts() {
    assertRejected(b -> b.maxAttempts(0), "maxAttempts: 0 (expected: > 0)");
  }

  @Test
  void rejectsAnEmptyRuntimeClasspath() {
    assertRejected(
        b -> b.workerRuntimeClasspath(List.of()),
        "workerRuntimeClasspath: [] (expected: at least one entry)");
  }

  @Test
  void rejectsABlankHost() {
    assertRejected(b -> b.host(""), "host: '' (expected: a host name or address)");
  }
}
