package io.drover.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.worker.TaskContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DiagnosticHandlersTest {
  private static final TaskContext CONTEXT =
      new TaskContext() {
        @Override
        public long taskId() {
          return 1;
        }

        @Override
        public String taskType() {
          return "test";
        }

        @Override
        public int attempt() {
          return 1;
        }

        @Override
        public int workerId() {
          return 1;
        }

        @Override
        public boolean isCancelled() {
          return false;
        }
      };

  @Test
  void crashEchoesAnyPayloadButHalt() {
    byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(new CrashHandler().handle(CONTEXT, payload)).isEqualTo(payload);
    assertThat(new CrashHandler().handle(CONTEXT, "halt!".getBytes(StandardCharsets.UTF_8)))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("halt!");
  }

  @Test
  void hangBlocksUntilItsThreadIsInterrupted() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                new HangHandler().handle(CONTEXT, new byte[0]);
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    t.start();
    // Parked, as a handler stuck in I/O would be.
    await().atMost(Duration.ofSeconds(60)).until(() -> t.getState() == Thread.State.WAITING);
    assertThat(outcome).isNotDone();
    t.interrupt();
    assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThatThrownBy(() -> {
      throw outcome.get();
    }).hasMessageContaining("cancelled");
  }

  @Test
  void bigAnswersAsManyBytesAsItsPayloadSays() {
    assertThat(new BigResultHandler().handle(CONTEXT, "5".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("xxxxx".getBytes(StandardCharsets.US_ASCII));
    assertThat(new BigResultHandler().handle(CONTEXT, " 0\n".getBytes(StandardCharsets.US_ASCII)))
        .isEmpty();
    assertThatThrownBy(() -> new BigResultHandler().handle(CONTEXT, "lots".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("payload: 'lots' (expected: a size in bytes)");
  }
}
