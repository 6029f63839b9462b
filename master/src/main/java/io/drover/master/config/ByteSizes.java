package io.drover.master.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as operators write them: {@code 256MiB}, {@code 1.5GiB}, {@code 512M}, {@code 4096} (bytes).
 * Units are binary (K, M, G, T, with or without {@code iB}), as the kernel's memory limits are.
 */
public final class ByteSizes {
  private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  /**
   * {@code text} in bytes.
   *
   * @param name the setting's name, for the message
   * @throws IllegalArgumentException naming the setting when {@code text} is no size or above
   *     {@link SettingChecks#MAX_BYTES}
   */
  public static long parse(String name, String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(name + ": '" + text + "' (expected: a size such as 256MiB, 1GiB, 512M or a number of bytes)");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
    if (bytes > SettingChecks.MAX_BYTES) {
      throw new IllegalArgumentException(name + ": '" + text + "' (expected: at most " + SettingChecks.MAX_BYTES + " bytes)");
    }
    return Math.round(bytes);
  }
}
