package io.drover.master.internal.dispatch;

import io.drover.protocol.proto.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the task path counts for status and metrics: SUBMIT requests received and task answers sent
 * by status. Plain fields, written and read on the dispatch event loop only, so that counting
 * costs an increment per task and nothing else (no atomics, no lookups, no allocation).
 */
public final class TaskCounters {
  /** One slot per status code the protocol defines, and one more for any code beyond them. */
  private static final int SLOTS = 32;

  long submitted;
  private final long[] answered = new long[SLOTS];

  /** One answer with {@code status} went to a client. */
  void answered(int status) {
    answered[status >= 0 && status < SLOTS - 1 ? status : SLOTS - 1]++;
  }

  /** SUBMIT requests received, whatever became of them. */
  public long submitted() {
    return submitted;
  }

  /** Answers sent so far by status name ({@code OK}, {@code HANDLER_ERROR}, ...), non-zero only. */
  public Map<String, Long> answeredByStatus() {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (int i = 0; i < SLOTS; i++) {
      if (answered[i] != 0) {
        Status s = i < SLOTS - 1 ? Status.forNumber(i) : null;
        byStatus.put(s == null ? "OTHER" : s.name(), answered[i]);
      }
    }
    return byStatus;
  }
}
