package io.drover.master.internal.supervise;

import io.drover.master.status.WorkerState;
import io.drover.master.status.WorkerTransition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskOptions;
import io.drover.master.DroverMaster;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A handler that ignores its cancellation (the diagnostic {@code stubborn} handler) must not hold
 * its worker's slot for ever: past the cancel grace the worker is recycled, replacement first,
 * and the tasks around it are not lost.
 */
@ExtendWith(LeakDetectionExtension.class)
class StuckHandlerIT {
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void aHandlerIgnoringItsDeadlineGetsItsWorkerRecycledWhileOtherTasksSucceed() throws Exception {
    SupervisionSettings grace = SupervisionSettings.builder().cancelGrace(Duration.ofMillis(500)).build();
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).supervision(grace).build());
    List<Long> before = master.workerPids();
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      CompletableFuture<byte[]> stuck =
          client.submit(
              "stubborn", new byte[0], TaskOptions.defaults().withDeadline(Duration.ofMillis(300)));
      List<CompletableFuture<byte[]>> others = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        others.add(client.submit("echo", ("t" + i).getBytes(StandardCharsets.UTF_8)));
      }

      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> stuck.get(60, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(DroverTaskException.class);
      assertThat(((DroverTaskException) e.getCause()).status().name()).isEqualTo("DEADLINE_EXCEEDED");

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        List<WorkerTransition> recycled =
            master.workerTransitions().stream().filter(t -> t.reason().contains("ignored its cancellation")).toList();
        assertThat(recycled).as("the stuck worker's slot was recycled").hasSize(1);
        long stuckPid = Long.parseLong(recycled.get(0).reason().replaceAll(".*replace pid (\\d+).*", "$1"));
        assertThat(before).contains(stuckPid);
        assertThat(ProcessHandle.of(stuckPid).map(ProcessHandle::isAlive).orElse(false))
            .as("the stuck worker process is gone").isFalse();
        assertThat(master.workers()).as("the pool is whole again").hasSize(2);
      });
      for (int i = 0; i < others.size(); i++) {
        assertThat(others.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(("t" + i).getBytes(StandardCharsets.UTF_8));
      }
      assertThat(client.submit("echo", "after".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS))
          .isEqualTo("after".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(master.workerTransitions())
        .as("recycled, not crashed")
        .noneMatch(t -> t.to() == WorkerState.BACKING_OFF || t.to() == WorkerState.CRASH_LOOP);
  }
}
