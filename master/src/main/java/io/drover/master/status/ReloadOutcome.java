package io.drover.master.status;

import java.time.Instant;
import java.util.List;

/**
 * What one reload of a running master's settings did.
 *
 * @param generation the settings' generation after it: 1 at start-up, one more for each reload
 *     that changed something
 * @param at when it was asked for
 * @param error why nothing was changed (an invalid file, a master shutting down), or null when it
 *     was applied
 * @param applied each setting changed and how: {@code "scheduler: least-loaded -> p2c"}, {@code
 *     "workers: 2 -> 4 (scaling up from 2 to 4 workers: starting workers 3, 4)"}
 * @param notApplied each changed setting that only a restart of the master takes, with why
 */
public record ReloadOutcome(int generation, Instant at, String error, List<String> applied, List<String> notApplied) {
  /** Copies the lists. */
  public ReloadOutcome {
    applied = List.copyOf(applied);
    notApplied = List.copyOf(notApplied);
  }

  /** A reload that changed nothing because of {@code error}. */
  public static ReloadOutcome failed(int generation, Instant at, String error) {
    return new ReloadOutcome(generation, at, error, List.of(), List.of());
  }

  /** Whether it was applied (possibly changing nothing, when nothing differed). */
  public boolean ok() {
    return error == null;
  }

  /** One line for the log and the CLI. */
  public String summary() {
    if (!ok()) {
      return "reload refused, settings unchanged (generation " + generation + "): " + error;
    }
    if (applied.isEmpty() && notApplied.isEmpty()) {
      return "reloaded: nothing changed (generation " + generation + ")";
    }
    StringBuilder s = new StringBuilder("reloaded (generation " + generation + ")");
    if (!applied.isEmpty()) {
      s.append(": ").append(String.join("; ", applied));
    }
    if (!notApplied.isEmpty()) {
      s.append(applied.isEmpty() ? ": " : "; ").append("not applied until the master restarts: ").append(String.join("; ", notApplied));
    }
    return s.toString();
  }
}
