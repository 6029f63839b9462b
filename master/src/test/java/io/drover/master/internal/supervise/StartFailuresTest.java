package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.status.WorkerState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the reasons workers failed at start-up are put in the master's one-line answer. */
class StartFailuresTest {
  @Test
  void aStackTraceIsReducedToItsExceptionLines() {
    List<String> stderr =
        List.of(
            "Exception in thread \"main\" java.lang.IllegalStateException: no database",
            "\tat com.example.Main.connect(Main.java:12)",
            "\tat com.example.Main.main(Main.java:5)",
            "Caused by: java.net.ConnectException: Connection refused",
            "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
            "\t... 4 more");
    assertThat(StartFailures.stderr(stderr))
        .isEqualTo(
            ", stderr: Exception in thread \"main\" java.lang.IllegalStateException: no database"
                + " | Caused by: java.net.ConnectException: Connection refused");
  }

  @Test
  void onlyTheLastThreeLinesAreQuoted() {
    assertThat(StartFailures.stderr(List.of("1", "2", "3", "4"))).isEqualTo(", stderr: 2 | 3 | 4");
  }

  @Test
  void theEndOfATraceWhoseHeadIsGoneIsItsLastFrame() {
    assertThat(StartFailures.stderr(List.of("\tat a.B.c(B.java:1)", "\tat a.B.main(B.java:2)")))
        .isEqualTo(", stderr: at a.B.main(B.java:2)");
  }

  @Test
  void noStderrAddsNothing() {
    assertThat(StartFailures.stderr(List.of())).isEmpty();
  }

  @Test
  void slotsThatFailedAlikeAreNamedTogetherAndReadyOnesNotAtAll() {
    WorkerSlot[] slots = new WorkerSlot[4];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new WorkerSlot(i + 1, null, null);
      slots[i].startFailure = "exited unexpectedly (exit code 3), stderr: boom";
    }
    slots[1].startFailure = null;
    slots[1].state = WorkerState.READY;
    slots[3].startFailure = null;
    slots[3].state = WorkerState.STARTING;
    assertThat(StartFailures.describe(slots))
        .isEqualTo("workers 1, 3: exited unexpectedly (exit code 3), stderr: boom; worker 4: not registered yet");
  }
}
