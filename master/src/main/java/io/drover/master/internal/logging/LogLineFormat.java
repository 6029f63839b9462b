package io.drover.master.internal.logging;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How {@code GET /logs} and {@code drover logs} show a {@link LogLine}: one line of text,
 *
 * <pre>
 * 2026-12-01T12:00:01.234Z [master] INFO  i.d.master.DroverMaster - Drover master listening on ...
 * 2026-12-01T12:00:02.345Z [worker 2 pid 41123] hello
 * 2026-12-01T12:00:02.346Z [worker 2 pid 41123 stderr] Exception in thread "main" ...
 * </pre>
 *
 * <p>the time in UTC with milliseconds; the source in brackets (the same prefix as the master's
 * own log gives worker output); for the master's lines its level, padded to five characters, and
 * its logger; then the text, whose line breaks and other control characters (a tab excepted) are
 * shown as {@code \n}, {@code \r} or {@code ?} so that one entry is always one line. A worker's
 * line is its output as it printed it (a worker's own log lines carry their level already).
 */
public final class LogLineFormat {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private LogLineFormat() {}

  /** {@code line} as one line of text, with its line break. */
  public static StringBuilder appendTo(StringBuilder out, LogLine line) {
    TIME.formatTo(java.time.Instant.ofEpochMilli(line.epochMillis()), out);
    if (line.fromMaster()) {
      out.append(" [master] ").append(line.level());
      for (int i = line.level().length(); i < 6; i++) {
        out.append(' ');
      }
    } else {
      out.append(" [worker ").append(line.workerId()).append(" pid ").append(line.pid()).append(line.stderr() ? " stderr] " : "] ");
    }
    String text = line.text();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c != '\t' && Character.isISOControl(c)) {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    return out.append('\n');
  }

  /** {@code lines} as text, one line each. */
  public static String format(Iterable<LogLine> lines) {
    StringBuilder out = new StringBuilder();
    for (LogLine line : lines) {
      appendTo(out, line);
    }
    return out.toString();
  }
}
