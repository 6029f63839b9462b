package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.drover.client.DroverClient;
import io.drover.master.internal.transport.WorkerFrameHandler;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input on the worker socket from a process that passes the peer check: a worker the
 * master spawned ({@code fuzz-worker-socket} runs in it) opens hundreds of connections that send
 * garbage, results before registering, and registrations of its own slot (registered already on
 * its real connection) or of others. The master closes every one, logs it, and nothing else
 * changes: the same workers serve on, the fuzzing one included, and a bystander's tasks all
 * succeed.
 */
@ExtendWith(LeakDetectionExtension.class)
class WorkerSocketFuzzIT {
  @Test
  void aSpawnedWorkersHostileConnectionsAreAllClosedAndDisturbNobody() throws Exception {
    try (LogCapture log = LogCapture.of(WorkerFrameHandler.class);
        DroverMaster master = DroverMaster.start(TestMasters.configWithDiagnostics(2).build());
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      List<Long> pids = master.workerPids();
      List<CompletableFuture<byte[]>> bystander = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        bystander.add(client.submit("echo", ("before-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      String outcome =
          new String(
              client
                  .submit("fuzz-worker-socket", "300 20261201".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(10))
                  .get(10, TimeUnit.MINUTES),
              StandardCharsets.US_ASCII);
      for (int i = 0; i < 500; i++) {
        bystander.add(client.submit("echo", ("after-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < bystander.size(); i++) {
        String expected = i < 500 ? "before-" + i : "after-" + (i - 500);
        assertThat(new String(bystander.get(i).get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8)).isEqualTo(expected);
      }
      assertThat(outcome).startsWith("connections=300 ").contains(" open=0");
      int closed = Integer.parseInt(outcome.replaceAll(".* closed=(\\d+) .*", "$1"));
      assertThat(closed).as(outcome).isGreaterThan(200); // the rest closed half a frame in themselves
      // The same two workers, the fuzzing one included, still registered and serving.
      assertThat(master.workerPids()).containsExactlyInAnyOrderElementsOf(pids);
      List<CompletableFuture<byte[]>> whoami = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        whoami.add(client.submit("whoami", new byte[0]));
      }
      Set<String> serving = new HashSet<>();
      for (CompletableFuture<byte[]> f : whoami) {
        serving.add(new String(f.get(1, TimeUnit.MINUTES), StandardCharsets.US_ASCII));
      }
      assertThat(serving).hasSize(2);
      // Logged, within the shared rate limit: a few lines for 300 connections.
      List<String> lines = log.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines).anySatisfy(m -> assertThat(m).startsWith("worker connection").endsWith("; closing it"));
      assertThat(lines.size()).isLessThan(100);
    }
  }
}
