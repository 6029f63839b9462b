package io.drover.protocol;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations and byte sizes written as people read them ({@code 30 s}, {@code 1 min 30 s}, {@code
 * 500 ms}, {@code 16 MiB}) for log lines, status messages and command output, where {@link
 * Duration#toString()}'s {@code PT1M30S} would otherwise reach a user. Shared by the master, the
 * worker runtime and the client, so that all of them say a duration the same way.
 */
public final class HumanUnits {
  private static final long NANOS_PER_MICRO = 1_000;
  private static final long NANOS_PER_MILLI = 1_000_000;
  private static final long SECONDS_PER_MINUTE = 60;
  private static final long SECONDS_PER_HOUR = 3_600;
  private static final long SECONDS_PER_DAY = 86_400;
  private static final String[] BINARY_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private HumanUnits() {}

  /**
   * {@code d} in the largest units that keep it readable: {@code 250 ns}, {@code 1.5 µs}, {@code
   * 500 ms}, {@code 30 s}, {@code 6.49 s}, {@code 1 min 30 s}, {@code 2 h 5 min}, {@code 24 d}.
   * Below a minute, one unit with at most three decimals; from a minute on, days, hours, minutes
   * and seconds, leaving out those that are zero. A negative duration is written with a minus
   * sign.
   */
  public static String duration(Duration d) {
    if (d.isNegative()) {
      // The most negative Duration has no positive counterpart: write it one nanosecond short.
      return "-" + duration(d.getSeconds() == Long.MIN_VALUE ? d.plusNanos(1).negated() : d.negated());
    }
    long seconds = d.getSeconds();
    int nanos = d.getNano();
    if (d.isZero()) {
      return "0 s";
    }
    if (seconds == 0) {
      if (nanos < NANOS_PER_MICRO) {
        return nanos + " ns";
      }
      if (nanos < NANOS_PER_MILLI) {
        return decimal(nanos, 3) + " µs";
      }
      return decimal(nanos / 1_000, 3) + " ms";
    }
    if (seconds < SECONDS_PER_MINUTE) {
      return decimal(seconds * 1_000 + nanos / NANOS_PER_MILLI, 3) + " s";
    }
    StringBuilder s = new StringBuilder();
    part(s, seconds / SECONDS_PER_DAY, "d");
    part(s, seconds % SECONDS_PER_DAY / SECONDS_PER_HOUR, "h");
    part(s, seconds % SECONDS_PER_HOUR / SECONDS_PER_MINUTE, "min");
    long millis = seconds % SECONDS_PER_MINUTE * 1_000 + nanos / NANOS_PER_MILLI;
    if (millis != 0) {
      s.append(' ').append(decimal(millis, 3)).append(" s");
    }
    return s.toString();
  }

  /** {@link #duration(Duration)} of {@code millis} milliseconds. */
  public static String millis(long millis) {
    return duration(Duration.ofMillis(millis));
  }

  /** {@link #duration(Duration)} of {@code nanos} nanoseconds. */
  public static String nanos(long nanos) {
    return duration(Duration.ofNanos(nanos));
  }

  /**
   * {@code bytes} in the largest binary unit it reaches, with at most one decimal: {@code 100
   * bytes}, {@code 8 KiB}, {@code 16 MiB}, {@code 19.1 MiB}, {@code 3 GiB}.
   */
  public static String bytes(long bytes) {
    if (bytes < 1024 && bytes > -1024) {
      return bytes + (bytes == 1 ? " byte" : " bytes");
    }
    long magnitude = Math.abs(bytes == Long.MIN_VALUE ? Long.MAX_VALUE : bytes);
    int unit = (63 - Long.numberOfLeadingZeros(magnitude)) / 10; // 1 for KiB, 2 for MiB, ...
    BigDecimal value =
        BigDecimal.valueOf(bytes)
            .divide(BigDecimal.valueOf(2).pow(10 * unit))
            .setScale(1, RoundingMode.HALF_UP)
            .stripTrailingZeros();
    return value.toPlainString() + " " + BINARY_UNITS[unit - 1];
  }

  /**
   * {@code bytes} both ways, for limits a user may have to set: {@code 16 MiB (16777216 bytes)};
   * just {@code 100 bytes} below a KiB.
   */
  public static String bytesExactly(long bytes) {
    String readable = bytes(bytes);
    return readable.endsWith("bytes") || readable.endsWith("byte") ? readable : readable + " (" + bytes + " bytes)";
  }

  private static void part(StringBuilder s, long value, String unit) {
    if (value != 0) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(value).append(' ').append(unit);
    }
  }

  /** {@code thousandths / 1000} with trailing zeros (and a trailing point) left out. */
  private static String decimal(long thousandths, int scale) {
    return BigDecimal.valueOf(thousandths, scale).stripTrailingZeros().toPlainString();
  }
}
