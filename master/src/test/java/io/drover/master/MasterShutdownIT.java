package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link DroverMaster#close()}: the parts stop in an order in which none calls one already stopped. */
@ExtendWith(LeakDetectionExtension.class)
class MasterShutdownIT {
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void heartbeatsTheLoopReadsLateInShutdownLogNoError() throws Exception {
    // Frequent heartbeats, and a dispatch loop held busy from the shutdown timeout on until after
    // the workers are gone: their last heartbeats and results are read only at the very end.
    SupervisionSettings chatty =
        SupervisionSettings.builder().heartbeatInterval(Duration.ofMillis(50)).killGrace(Duration.ofSeconds(1)).build();
    try (LogCapture log = LogCapture.all()) {
      master =
          DroverMaster.start(
              TestMasters.config(2).shutdownTimeout(Duration.ofSeconds(1)).supervision(chatty).build());
      List<CompletableFuture<byte[]>> load = new ArrayList<>();
      try (DroverClient c = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
        for (int i = 0; i < 8; i++) {
          load.add(c.submit("sleep", "4000".getBytes(StandardCharsets.US_ASCII)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> master.tasksInProgress() == 8);
        Thread closer = new Thread(master::close, "test-close");
        closer.start();
        await("the shutdown timeout")
            .atMost(Duration.ofSeconds(30))
            .until(() -> !log.events(e -> e.getFormattedMessage().contains("shutdown timeout reached")).isEmpty());
        // Longer than the workers' remaining life: 5 s to exit by themselves, then SIGTERM, a
        // grace of 1 s, SIGKILL.
        master.runOnDispatchLoop(() -> DispatchLoopStallIT.stall(Duration.ofSeconds(9)));
        closer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closer.isAlive()).as("close() returned").isFalse();
      }
      assertThat(log.errors()).as(LogCapture.describe(log.events())).isEmpty();
      assertThat(log.events())
          .as(LogCapture.describe(log.events()))
          .noneMatch(
              e ->
                  e.getFormattedMessage().contains(RejectedExecutionException.class.getSimpleName())
                      || (e.getThrowableProxy() != null
                          && e.getThrowableProxy().getClassName().equals(RejectedExecutionException.class.getName())));
    }
  }
}
