package io.drover.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text form of {@code drover status}: a header block for the master, a table of the worker
 * slots with units and aligned columns (what {@code pm2 list} shows), then tasks, clients and
 * jobs in a line each. Reads the JSON of {@code /status}; a field it does not find shows as
 * {@code -}, so that an older or newer master still renders.
 */
final class StatusTable {
  private static final String[] HEADER = {
    "id", "pid", "state", "in state", "restarts", "in-flight", "completed", "failed", "cpu", "rss", "heap", "heartbeat"
  };
  /** Columns holding numbers, aligned right. */
  private static final boolean[] RIGHT = {true, true, false, true, true, true, true, true, true, true, true, true};

  private StatusTable() {}

  static String render(JsonNode status) {
    StringBuilder out = new StringBuilder();
    JsonNode m = status.path("master");
    out.append("Drover master  pid ").append(text(m, "pid"))
        .append("  ").append(text(m, "state"))
        .append("  up ").append(duration(m.path("uptimeSeconds")))
        .append("  version ").append(text(m, "version")).append('\n');
    out.append("  clients ").append(text(m.path("listen"), "clients"))
        .append("  admin ").append(text(m.path("listen"), "admin"))
        .append("  scheduler ").append(text(m, "scheduler"))
        .append("  transport ").append(text(m, "transport"))
        .append(m.path("inline").asBoolean() ? "  inline handlers" : "")
        .append('\n');
    out.append("  workers ready ").append(text(m, "workersReady")).append('/').append(text(m, "workersConfigured"))
        .append(m.path("ready").asBoolean(true) ? "" : "  (not ready)").append('\n');
    out.append(limits(status.path("workers")));
    out.append(changes(m)).append('\n');
    out.append(workerTable(status.path("workers")));
    out.append(lastExits(status.path("workers")));
    out.append('\n').append(tasks(status.path("tasks"))).append('\n');
    JsonNode c = status.path("clients");
    out.append("clients  ").append(text(c, "connections")).append(" connections, ")
        .append(text(c, "inFlight")).append(" tasks in flight, ")
        .append(text(c, "paused")).append(" paused\n");
    out.append("jobs     ").append(text(status.path("jobs"), "inProgress")).append(" in progress\n");
    return out.toString();
  }

  /**
   * How the master was changed while running, when it says: the settings' generation and the
   * last reload, autoscaling, the last rolling restart. Empty for a master that does not say.
   */
  private static String changes(JsonNode m) {
    StringBuilder out = new StringBuilder();
    JsonNode config = m.path("config");
    if (config.isObject()) {
      out.append("  settings generation ").append(text(config, "generation"));
      JsonNode last = config.path("lastReload");
      if (last.isObject()) {
        out.append(" (last reload ").append(last.path("ok").asBoolean() ? "applied" : "refused")
            .append(" at ").append(text(last, "at")).append(')');
      }
    }
    JsonNode autoscale = m.path("autoscale");
    if (autoscale.path("enabled").asBoolean()) {
      out.append("  autoscale ").append(text(autoscale, "min")).append("..").append(text(autoscale, "max"))
          .append(" (").append(text(autoscale, "decisions")).append(" decisions)");
    }
    if (out.length() > 0) {
      out.append('\n');
    }
    if (m.path("rollout").isTextual()) {
      out.append("  ").append(m.path("rollout").asText()).append('\n');
    }
    if (m.path("upgrade").isTextual()) {
      out.append("  ").append(m.path("upgrade").asText()).append('\n');
    }
    return out.toString();
  }

  private static String workerTable(JsonNode workers) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JsonNode w : workers) {
      rows.add(
          new String[] {
            text(w, "id"),
            text(w, "pid"),
            text(w, "state"),
            duration(w.path("inStateSeconds")),
            text(w, "restarts"),
            text(w, "inFlight"),
            text(w, "completed"),
            text(w, "failed"),
            w.path("cpuPercent").isNumber() ? String.format(Locale.ROOT, "%.1f%%", w.path("cpuPercent").asDouble()) : "-",
            mebibytes(w.path("rssBytes")),
            mebibytes(w.path("heapUsedBytes")),
            w.path("heartbeatAgeSeconds").isNumber() ? seconds(w.path("heartbeatAgeSeconds").asDouble()) + " ago" : "-",
          });
    }
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String pad = " ".repeat(width[i] - row[i].length());
        line.append(i == 0 ? "" : "  ").append(RIGHT[i] ? pad + row[i] : row[i] + pad);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /**
   * The resource limits the workers run with, once for each different set (a rolling restart may
   * be applying new ones); empty when no worker has any.
   */
  private static String limits(JsonNode workers) {
    java.util.Set<String> inForce = new java.util.LinkedHashSet<>();
    for (JsonNode w : workers) {
      String l = w.path("limits").asText("none");
      if (!l.equals("none")) {
        inForce.add(l);
      }
    }
    StringBuilder out = new StringBuilder();
    for (String l : inForce) {
      out.append("  worker limits ").append(l).append('\n');
    }
    return out.toString();
  }

  /** One line per slot whose process has exited: why, which is what an operator asks next. */
  private static String lastExits(JsonNode workers) {
    StringBuilder out = new StringBuilder();
    for (JsonNode w : workers) {
      JsonNode exit = w.path("lastExit");
      if (exit.isObject()) {
        out.append("  worker ").append(text(w, "id")).append(": last exit of pid ").append(text(exit, "pid"))
            .append(": ").append(text(exit, "reason")).append('\n');
      }
    }
    return out.length() == 0 ? "" : "\n" + out;
  }

  private static String tasks(JsonNode t) {
    StringBuilder out = new StringBuilder("tasks    ");
    out.append(text(t, "submitted")).append(" submitted, ");
    long done = 0;
    List<String> parts = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = t.path("completed").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      done += e.getValue().asLong();
      parts.add(e.getValue().asLong() + " " + e.getKey());
    }
    out.append(done).append(" completed").append(parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    out.append(", ").append(text(t, "inFlight")).append(" in flight, ").append(text(t, "waiting")).append(" waiting");
    JsonNode p = t.path("waitingByPriority");
    if (t.path("waiting").asLong() > 0 && p.isObject()) {
      out.append(" (high ").append(text(p, "high")).append(", normal ").append(text(p, "normal"))
          .append(", low ").append(text(p, "low")).append(')');
    }
    List<String> types = new ArrayList<>();
    t.path("waitingByType").fields().forEachRemaining(e -> types.add(e.getKey() + " " + e.getValue().asLong()));
    if (!types.isEmpty()) {
      out.append("\n         waiting by type: ").append(String.join(", ", types));
    }
    return out.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? "-" : v.asText();
  }

  private static String mebibytes(JsonNode bytes) {
    return bytes.isNumber() ? String.format(Locale.ROOT, "%.1f MiB", bytes.asLong() / 1048576.0) : "-";
  }

  private static String seconds(double s) {
    return s < 10 ? String.format(Locale.ROOT, "%.1fs", s) : duration((long) s);
  }

  /** {@code 45s}, {@code 5m 3s}, {@code 2h 3m}, {@code 3d 4h}: as long as it needs to be. */
  private static String duration(JsonNode seconds) {
    return seconds.isNumber() ? duration((long) seconds.asDouble()) : "-";
  }

  static String duration(long s) {
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d " + s % 86400 / 3600 + "h";
  }
}
