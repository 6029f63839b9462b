package io.drover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import io.drover.worker.internal.DomainSocketTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // FakeMaster.close() may throw InterruptedException
class WorkerMainTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void servesDiscoveredHandlersAndExitsZeroAfterDrain() throws Exception {
    Path socket = dir.resolve("m.sock");
    try (FakeMaster master = new FakeMaster(socket, DomainSocketTransport.best())) {
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () ->
                  WorkerMain.run(
                      new String[] {"--worker-id", "5", "--capacity=2"},
                      Map.of("DROVER_WORKER_SOCKET", socket.toString()),
                      err));
      var registration = master.awaitRegistration();
      assertThat(registration.getWorkerId()).isEqualTo(5);
      assertThat(registration.getCapacity()).isEqualTo(2);
      assertThat(registration.getTaskTypesList()).containsExactly("discovered-echo");
      master.sendTask(1, "discovered-echo", "hi".getBytes(StandardCharsets.UTF_8));
      FakeMaster.Event result = master.next();
      assertThat(result.status()).isEqualTo(Status.OK.getNumber());
      assertThat(result.bodyText()).isEqualTo("hi");
      master.sendDrain();
      assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(WorkerMain.EXIT_OK);
    }
  }

  @Test
  void exitsOneWhenTheSocketIsUnreachable() {
    Path missing = dir.resolve("missing.sock");
    int code = WorkerMain.run(new String[] {"--socket", missing.toString()}, Map.of(), err);
    assertThat(code).isEqualTo(WorkerMain.EXIT_FAILED);
    assertThat(err()).startsWith("drover worker: worker 0 cannot connect to the master at "
        + missing);
    assertThat(err().lines()).hasSize(1);
  }

  @Test
  void exitsOneWithoutASocket() {
    assertThat(WorkerMain.run(new String[0], Map.of(), err)).isEqualTo(WorkerMain.EXIT_FAILED);
    assertThat(err()).contains("DROVER_WORKER_SOCKET");
  }

  @Test
  void exitsTwoOnABadFlag() {
    assertThat(WorkerMain.run(new String[] {"--bogus"}, Map.of(), err))
        .isEqualTo(WorkerMain.EXIT_USAGE);
    assertThat(err()).contains("unknown argument '--bogus'");
    assertThat(WorkerMain.run(new String[] {"--capacity"}, Map.of(), err))
        .isEqualTo(WorkerMain.EXIT_USAGE);
  }
}
