package io.drover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DroverWorkerBuilderTest {
  private static TaskHandler handler(String type) {
    return new TaskHandler() {
      @Override
      public String taskType() {
        return type;
      }

      @Override
      public byte[] handle(TaskContext context, byte[] payload) {
        return payload;
      }
    };
  }

  @Test
  void rejectsNonPositiveCapacity() {
    assertThatThrownBy(() -> DroverWorker.builder().capacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity: 0 (expected: > 0)");
  }

  @Test
  void rejectsAMaxFrameBytesOutsideWhatAMasterAccepts() {
    assertThatThrownBy(() -> DroverWorker.builder().maxFrameBytes(-1))
        .hasMessage("maxFrameBytes: -1 (expected: >= 8192)");
    assertThatThrownBy(() -> DroverWorker.builder().maxFrameBytes(4096))
        .hasMessage("maxFrameBytes: 4096 (expected: >= 8192)");
    // Above 1 GiB the frame decoder's prefix + length arithmetic would overflow an int.
    assertThatThrownBy(() -> DroverWorker.builder().maxFrameBytes(Integer.MAX_VALUE))
        .hasMessage("maxFrameBytes: 2147483647 (expected: <= 1073741824)");
    DroverWorker.builder().maxFrameBytes(8192).maxFrameBytes(1 << 30);
  }

  @Test
  void rejectsACapacityBeyondTheMaximum() {
    assertThatThrownBy(() -> DroverWorker.builder().capacity(DroverWorkerBuilder.MAX_CAPACITY + 1))
        .hasMessage("capacity: 10001 (expected: <= 10000)");
  }

  @Test
  void rejectsAHeartbeatIntervalLongerThanAnIntOfMilliseconds() {
    assertThatThrownBy(() -> DroverWorker.builder().heartbeatInterval(Duration.ofDays(365)))
        .hasMessage("heartbeatInterval: 365 d (expected: <= 24 d 20 h 31 min 23.647 s)");
  }

  @Test
  void rejectsADuplicateTaskTypeNamingIt() {
    DroverWorkerBuilder builder = DroverWorker.builder().handler(handler("echo"));
    assertThatThrownBy(() -> builder.handler(handler("echo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("duplicate handler for task type 'echo'");
  }

  @Test
  void rejectsAnEmptyOrOverlongTaskType() {
    assertThatThrownBy(() -> DroverWorker.builder().handler(handler("")))
        .hasMessageContaining("empty task type");
    assertThatThrownBy(() -> DroverWorker.builder().handler(handler("x".repeat(256))))
        .hasMessageContaining("256 bytes (expected: <= 255)");
  }

  @Test
  void requiresASocketAndAHandler() {
    assertThatThrownBy(() -> DroverWorker.builder().handler(handler("echo")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DROVER_WORKER_SOCKET");
    assertThatThrownBy(() -> DroverWorker.builder().socketPath(Path.of("/tmp/x")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no task handlers");
  }

  @Test
  void readsTheEnvironment() {
    DroverWorker worker =
        DroverWorker.builder()
            .fromEnvironment(
                Map.of(
                    "DROVER_WORKER_SOCKET", "/tmp/m.sock",
                    "DROVER_WORKER_ID", "7",
                    "DROVER_WORKER_CAPACITY", "2",
                    "DROVER_MAX_FRAME_BYTES", "65536"))
            .handler(handler("echo"))
            .build();
    assertThat(worker.workerId()).isEqualTo(7);
    worker.close();
  }

  @Test
  void namesTheBadEnvironmentVariable() {
    assertThatThrownBy(
            () -> DroverWorker.builder().fromEnvironment(Map.of("DROVER_WORKER_CAPACITY", "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DROVER_WORKER_CAPACITY: 'lots' (expected: an integer)");
    assertThatThrownBy(
            () -> DroverWorker.builder().fromEnvironment(Map.of("DROVER_WORKER_CAPACITY", "0")))
        .hasMessage("capacity: 0 (expected: > 0)");
  }

  @Test
  void discoversHandlersWithServiceLoader() {
    DroverWorkerBuilder builder = DroverWorker.builder().discoverHandlers();
    assertThatThrownBy(() -> builder.handler(new DiscoveredEchoHandler()))
        .hasMessageStartingWith("duplicate handler for task type 'discovered-echo'");
  }
}
