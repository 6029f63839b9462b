package io.drover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.proto.Status;
import io.drover.worker.internal.DomainSocketTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DroverWorker#run()}: a worker main of one's own in one line. */
@SuppressWarnings("try") // FakeMaster.close() may throw InterruptedException
class DroverWorkerRunTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private static final TaskHandler UPPER =
      new TaskHandler() {
        @Override
        public String taskType() {
          return "upper";
        }

        @Override
        public byte[] handle(TaskContext context, byte[] payload) {
          return new String(payload, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        }
      };

  private DroverWorker worker(Path socket) {
    return DroverWorker.builder().socketPath(socket).workerId(4).handler(UPPER).build();
  }

  @Test
  void runServesUntilTheMasterDrainsTheWorkerThenReturnsZero() throws Exception {
    Path socket = dir.resolve("m.sock");
    try (FakeMaster master = new FakeMaster(socket, DomainSocketTransport.best())) {
      DroverWorker worker = worker(socket);
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> worker.run(err));
      assertThat(master.awaitRegistration().getTaskTypesList()).containsExactly("upper");
      master.sendTask(1, "upper", "hi".getBytes(StandardCharsets.UTF_8));
      FakeMaster.Event result = master.next();
      assertThat(result.status()).isEqualTo(Status.OK.getNumber());
      assertThat(result.bodyText()).isEqualTo("HI");
      assertThat(exit).as("still running").isNotDone();
      master.sendDrain();
      assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(WorkerMain.EXIT_OK);
      assertThat(errBytes.size()).as("stderr").isZero();
    }
  }

  @Test
  void runSaysInOneLineWhyTheWorkerCannotStartAndReturnsOne() {
    Path missing = dir.resolve("missing.sock");
    assertThat(worker(missing).run(err)).isEqualTo(WorkerMain.EXIT_FAILED);
    String text = errBytes.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("drover worker: worker 4 cannot connect to the master at " + missing);
    assertThat(text.lines()).hasSize(1);
  }

  @Test
  void runTwiceIsRefused() {
    DroverWorker worker = worker(dir.resolve("missing.sock"));
    worker.run(err);
    assertThatThrownBy(worker::run).isInstanceOf(IllegalStateException.class);
  }
}
