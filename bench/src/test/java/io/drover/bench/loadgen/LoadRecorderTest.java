package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadRecorderTest {
  @Test
  void warmupIsDiscarded() {
    LoadRecorder recorder = new LoadRecorder();
    recorder.onReply(0, 1_000, 0);
    recorder.onReply(0, 1_000, 6);
    recorder.startWindow(2_000);

    assertThat(recorder.ok()).isZero();
    assertThat(recorder.histogram().getTotalCount()).isZero();
    assertThat(recorder.errorsByStatus()).isEmpty();
  }

  @Test
  void countsOkLatencyAndErrorsByStatusName() {
    LoadRecorder recorder = new LoadRecorder();
    recorder.startWindow(0);
    recorder.onReply(100, 5_100, 0);
    recorder.onReply(100, 7_100, 0);
    recorder.onReply(100, 200, 6);
    recorder.onReply(100, 200, 99);
    recorder.onConnectionError(8);
    recorder.onLost(100, LoadRecorder.CLIENT_TIMEOUT);
    recorder.endWindow(10_000);

    assertThat(recorder.ok()).isEqualTo(2);
    assertThat(recorder.completedInWindow()).isEqualTo(4);
    assertThat(recorder.histogram().getTotalCount()).isEqualTo(2);
    assertThat(recorder.histogram().getMaxValue()).isBetween(7_000L, 7_010L);
    assertThat(recorder.errorsByStatus())
        .containsEntry("OVERLOADED", 1L)
        .containsEntry("STATUS_99", 1L)
        .containsEntry("MALFORMED_FRAME", 1L)
        .containsEntry("CLIENT_TIMEOUT", 1L)
        .hasSize(4);
  }

  @Test
  void afterTheWindowOnlyTasksSentInsideItCountAndNotTowardsThroughput() {
    LoadRecorder recorder = new LoadRecorder();
    recorder.startWindow(1_000);
    recorder.endWindow(2_000);
    recorder.onReply(500, 2_500, 0); // sent during warm-up
    recorder.onReply(1_500, 2_500, 0); // sent inside the window

    assertThat(recorder.ok()).isEqualTo(1);
    assertThat(recorder.histogram().getTotalCount()).isEqualTo(1);
    assertThat(recorder.completedInWindow()).isZero();
    assertThat(recorder.windowNanos()).isEqualTo(1_000);
  }

  @Test
  void unexpectedRepliesAreCountedOutsideWarmup() {
    LoadRecorder recorder = new LoadRecorder();
    recorder.onUnexpectedReply();
    recorder.startWindow(0);
    recorder.onUnexpectedReply();

    assertThat(recorder.unexpectedReplies()).isEqualTo(1);
  }

  @Test
  void sendLagIsTrackedInsideTheWindow() {
    LoadRecorder recorder = new LoadRecorder();
    recorder.onSent(0, 1_000_000);
    recorder.startWindow(10);
    recorder.onSent(5, 400); // due before the window: lag counts, the send does not
    recorder.onSent(100, 300);
    recorder.onSent(200, 250);

    assertThat(recorder.sentInWindow()).isEqualTo(2);
    assertThat(recorder.maxSendLagNanos()).isEqualTo(395);
  }
}
