package io.drover.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SleepHandlerTest {
  private final SleepHandler handler = new SleepHandler();

  private byte[] sleep(String payload) throws Exception {
    return handler.handle(new TestContext("sleep"), payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void servesSleep() {
    assertThat(handler.taskType()).isEqualTo("sleep");
  }

  @Test
  void returnsTheMillisecondsAsText() throws Exception {
    long start = System.nanoTime();
    assertThat(new String(sleep("20"), StandardCharsets.US_ASCII)).isEqualTo("20");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
  }

  @Test
  void zeroReturnsAtOnce() throws Exception {
    assertThat(new String(sleep("0"), StandardCharsets.US_ASCII)).isEqualTo("0");
  }

  @Test
  void rejectsANonNumericPayload() {
    assertThatThrownBy(() -> sleep("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sleep: payload 'abc' is not a number of milliseconds");
  }

  @Test
  void rejectsANegativePayload() {
    assertThatThrownBy(() -> sleep("-5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'-5' is negative");
  }

  @Test
  void stopsWhenInterrupted() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                sleep("60000");
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    t.start();
    t.interrupt();
    assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }
}
