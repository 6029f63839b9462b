package io.drover.master.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The example systemd unit shipped in {@code docs/systemd/drover.service}, read as systemd would. */
public final class SystemdUnit {
  /** Where the unit is, from the master module's directory (where tests run). */
  public static final Path FILE = Path.of("..", "docs", "systemd", "drover.service").toAbsolutePath().normalize();

  private SystemdUnit() {}

  /** The settings of the unit's {@code [Service]} section (the last value of a repeated key). */
  public static Map<String, String> service() {
    Map<String, String> settings = new HashMap<>();
    String section = "";
    try {
      String continued = "";
      for (String raw : Files.readAllLines(FILE)) {
        String line = (continued + raw).strip();
        // A line ending in a backslash goes on on the next, as systemd reads it.
        if (line.endsWith("\\") && !line.startsWith("#")) {
          continued = line.substring(0, line.length() - 1) + " ";
          continue;
        }
        continued = "";
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[")) {
          section = line;
        } else if (section.equals("[Service]")) {
          int eq = line.indexOf('=');
          settings.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return settings;
  }

  /** The unit's {@code TimeoutStopSec}: how long systemd waits before it SIGKILLs the rest. */
  public static Duration timeoutStopSec() {
    return timeSpan(service().get("TimeoutStopSec"));
  }

  /** A systemd time span such as {@code 90}, {@code 90s} or {@code 1min 30s}. */
  public static Duration timeSpan(String span) {
    Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min)?").matcher(span);
    Duration total = Duration.ZERO;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      total =
          total.plus(
              switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m", "min" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
    }
    return total;
  }
}
