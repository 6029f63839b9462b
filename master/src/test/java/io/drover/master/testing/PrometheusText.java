package io.drover.master.testing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the samples of a Prometheus or OpenMetrics text exposition, for assertions. */
public final class PrometheusText {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

  private PrometheusText() {}

  /** Each sample's value by its name and labels as written ({@code name{a="1",b="2"}}). */
  public static Map<String, Double> samples(byte[] exposition) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : new String(exposition, StandardCharsets.UTF_8).split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.matches()) {
        out.put(m.group(1), Double.parseDouble(m.group(2).replace("+Inf", "Infinity")));
      }
    }
    return out;
  }
}
