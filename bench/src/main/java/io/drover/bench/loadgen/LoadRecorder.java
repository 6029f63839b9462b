package io.drover.bench.loadgen;

import io.drover.protocol.proto.Status;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Counts replies and records OK latencies of one run, in three phases: warm-up (nothing kept),
 * the measured window, and the drain after it. Replies arriving inside the window count towards
 * throughput; after the window, replies to tasks sent inside it are still counted and recorded (so
 * the slow tail is not cut off), but not towards throughput. Used by the event loop thread only.
 */
final class LoadRecorder {
  /** Error name for a task this generator gave up on after {@code --timeout}. */
  static final String CLIENT_TIMEOUT = "CLIENT_TIMEOUT";
  /** Error name for a task in flight on a connection that closed. */
  static final String CONNECTION_LOST = "CONNECTION_LOST";

  private static final long HIGHEST_NANOS = 60_000_000_000L;

  private enum Phase {
    WARMUP,
    MEASURE,
    DRAIN
  }

  private final Histogram histogram = new Histogram(1, HIGHEST_NANOS, 3);
  private final Map<String, Long> errors = new TreeMap<>();
  private final long[] errorsByNumber = new long[64];
  private Phase phase = Phase.WARMUP;
  private long windowStartNanos;
  private long windowEndNanos;
  private long ok;
  private long completedInWindow;
  private long sentInWindow;
  private long maxSendLagNanos;
  private long unexpectedReplies;

  /** Starts the measured window: everything recorded so far is discarded. */
  void startWindow(long nowNanos) {
    histogram.reset();
    errors.clear();
    java.util.Arrays.fill(errorsByNumber, 0);
    ok = 0;
    completedInWindow = 0;
    sentInWindow = 0;
    maxSendLagNanos = 0;
    unexpectedReplies = 0;
    windowStartNanos = nowNanos;
    phase = Phase.MEASURE;
  }

  /** Ends the measured window; replies to tasks sent inside it are still counted. */
  void endWindow(long nowNanos) {
    windowEndNanos = nowNanos;
    phase = Phase.DRAIN;
  }

  /**
   * A task due at {@code intendedNanos} was written at {@code nowNanos}. Only tasks due inside the
   * window count as sent in it, so the send rate never exceeds the requested one and falls short of
   * it exactly when the generator did not keep up.
   */
  void onSent(long intendedNanos, long nowNanos) {
    if (phase == Phase.MEASURE) {
      maxSendLagNanos = Math.max(maxSendLagNanos, nowNanos - intendedNanos);
      if (intendedNanos - windowStartNanos >= 0) {
        sentInWindow++; // a backlog from the warm-up must not look like keeping up
      }
    }
  }

  /** A reply with {@code status} arrived at {@code nowNanos} for a task sent at {@code sendNanos}. */
  void onReply(long sendNanos, long nowNanos, int status) {
    if (!counts(sendNanos)) {
      return;
    }
    if (phase == Phase.MEASURE) {
      completedInWindow++;
    }
    if (status == 0) {
      ok++;
      histogram.recordValue(Math.max(0, Math.min(nowNanos - sendNanos, HIGHEST_NANOS)));
    } else if (status > 0 && status < errorsByNumber.length) {
      errorsByNumber[status]++;
    } else {
      onError(statusName(status));
    }
  }

  /** A reply that belongs to no task (request id 0: a connection-level error). */
  void onConnectionError(int status) {
    if (phase != Phase.WARMUP) {
      onError(statusName(status));
    }
  }

  /**
   * A reply whose request id is not in flight on its connection: late (after {@code --timeout}),
   * duplicated, or misrouted by the server.
   */
  void onUnexpectedReply() {
    if (phase != Phase.WARMUP) {
      unexpectedReplies++;
    }
  }

  /** A task sent at {@code sendNanos} will never be answered, for {@code reason}. */
  void onLost(long sendNanos, String reason) {
    if (counts(sendNanos)) {
      onError(reason);
    }
  }

  private boolean counts(long sendNanos) {
    return phase == Phase.MEASURE || (phase == Phase.DRAIN && sendNanos - windowStartNanos >= 0);
  }

  private void onError(String name) {
    errors.merge(name, 1L, Long::sum);
  }

  /** The status' name in {@code drover.v1.Status}, or {@code STATUS_n} for a number it lacks. */
  static String statusName(int status) {
    Status known = Status.forNumber(status);
    return known == null ? "STATUS_" + status : known.name();
  }

  long ok() {
    return ok;
  }

  long completedInWindow() {
    return completedInWindow;
  }

  long sentInWindow() {
    return sentInWindow;
  }

  long maxSendLagNanos() {
    return maxSendLagNanos;
  }

  long unexpectedReplies() {
    return unexpectedReplies;
  }

  long windowNanos() {
    return windowEndNanos - windowStartNanos;
  }

  Histogram histogram() {
    return histogram;
  }

  /** Errors by status name (and {@link #CLIENT_TIMEOUT}, {@link #CONNECTION_LOST}). */
  Map<String, Long> errorsByStatus() {
    Map<String, Long> all = new TreeMap<>(errors);
    for (int i = 0; i < errorsByNumber.length; i++) {
      if (errorsByNumber[i] != 0) {
        all.merge(statusName(i), errorsByNumber[i], Long::sum);
      }
    }
    return all;
  }
}
