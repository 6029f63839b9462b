package io.drover.master.internal.supervise;

import io.drover.master.status.WorkerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Why workers did not become ready at start-up, put in one line for the message that says why the
 * master could not start: slots that failed the same way are named together, and a stack trace on
 * stderr is reduced to its exception lines.
 */
final class StartFailures {
  /** Lines quoted from a worker's stderr. */
  private static final int QUOTED_LINES = 3;
  /** A stack frame ({@code \tat ...}) or an elision ({@code ... 4 more}) of a stack trace. */
  private static final Pattern STACK_FRAME = Pattern.compile("\\s+at .*|\\s*\\.\\.\\. \\d+ more");

  private StartFailures() {}

  /**
   * Each slot that is not ready with its reason, the slots with the same reason together:
   * {@code "workers 1, 2: exited unexpectedly (exit code 3), stderr: ..."}. On the supervisor thread.
   */
  static String describe(WorkerSlot[] slots) {
    Map<String, List<Integer>> slotsByReason = new LinkedHashMap<>();
    for (WorkerSlot s : slots) {
      if (s.state != WorkerState.READY) {
        String why =
            s.startFailure != null
                ? s.startFailure
                : "not registered yet" + stderr(s.stderr == null ? List.of() : s.stderr.lastLines());
        slotsByReason.computeIfAbsent(why, k -> new ArrayList<>()).add(s.id);
      }
    }
    return slotsByReason.entrySet().stream()
        .map(e -> (e.getValue().size() == 1 ? "worker " : "workers ")
            + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", "))
            + ": " + e.getKey())
        .collect(Collectors.joining("; "));
  }

  /**
   * The gist of a worker's last stderr lines, to append to a reason: {@code ", stderr: line | line"}
   * with the last few lines that are not stack frames (the exception and its causes), or the last
   * line when all are frames; empty when there were none.
   */
  static String stderr(List<String> lastLines) {
    List<String> kept = lastLines.stream().filter(l -> !STACK_FRAME.matcher(l).matches()).map(String::strip).toList();
    if (kept.isEmpty()) {
      kept = lastLines.isEmpty() ? List.of() : List.of(lastLines.get(lastLines.size() - 1).strip());
    }
    if (kept.isEmpty()) {
      return "";
    }
    return ", stderr: " + String.join(" | ", kept.subList(Math.max(0, kept.size() - QUOTED_LINES), kept.size()));
  }
}
