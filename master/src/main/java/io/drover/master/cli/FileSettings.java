package io.drover.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.master.cli.ConfigFile.BadConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Gives a command's options the values a {@link ConfigFile} sets: each key is an option's name
 * without its dashes ({@code max-queued-tasks: 5000} is {@code --max-queued-tasks 5000}), and an
 * option given on the command line keeps its value, so flags override the file. Values are checked
 * for their type here, with the key and line; ranges are checked where the options' values become
 * settings, and {@link #refusal} gives such a refusal the same form.
 */
final class FileSettings {
  /** Options that are not settings: they never come from a file. */
  static final Set<String> NOT_SETTINGS = Set.of("config", "help", "version");

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)");
  private static final Pattern CAMEL_WORD = Pattern.compile("(?<![\\w-])[a-z]+[A-Z][A-Za-z]*(?![\\w-])");
  private static final Pattern LEADING_KEY = Pattern.compile("^([A-Za-z][\\w-]*): (.*)$", Pattern.DOTALL);

  private final ConfigFile file;
  /** Where each option's value came from, by key: {@code drover.yaml:4} or the command line. */
  private final Map<String, String> sources;

  private FileSettings(ConfigFile file, Map<String, String> sources) {
    this.file = file;
    this.sources = sources;
  }

  /**
   * Sets the options of {@code spec} (parsed already, so that its parse result says which options
   * the command line gave) that {@code file} sets and the command line does not.
   *
   * @param file the file, or null for none
   * @throws BadConfigException naming every key of the file that is not a setting or whose value
   *     has the wrong type, one line each
   */
  static FileSettings apply(CommandSpec spec, ConfigFile file) throws BadConfigException {
    Map<String, String> sources = new LinkedHashMap<>();
    ParseResult given = spec.commandLine().getParseResult();
    for (OptionSpec o : spec.options()) {
      if (given != null && given.hasMatchedOption(o)) {
        sources.put(key(o), "command line");
      }
    }
    if (file == null) {
      return new FileSettings(null, sources);
    }
    List<String> problems = new ArrayList<>();
    for (ConfigFile.Entry e : flattened(spec, file)) {
      OptionSpec o = NOT_SETTINGS.contains(e.key()) ? null : spec.findOption("--" + e.key());
      if (o == null || !o.longestName().equals("--" + e.key())) {
        problems.add(file.where(e.line()) + ": " + e.key() + " is not a setting" + suggestion(spec, e.key()));
        continue;
      }
      Object value;
      try {
        value = convert(o, e.value());
      } catch (IllegalArgumentException bad) {
        if (o.type() == TenantList.class) {
          problems.add(file.where(e.line()) + ": " + bad.getMessage()); // names the tenant and its key
          continue;
        }
        problems.add(file.where(e.line()) + ": " + e.key() + ": " + shown(e.value()) + " (expected: " + bad.getMessage() + ")");
        continue;
      }
      if (sources.containsKey(e.key())) {
        sources.put(e.key(), "command line, over " + file.where(e.line()));
      } else {
        o.setValue(value);
        sources.put(e.key(), file.where(e.line()));
      }
    }
    if (!problems.isEmpty()) {
      throw new BadConfigException(String.join("\n", problems));
    }
    return new FileSettings(file, sources);
  }

  /**
   * The file's entries, a section's mapping ({@code autoscale: {min: 1, max: 4}}) spelled out as
   * the options it stands for ({@code autoscale-min}, {@code autoscale-max}), each with its line.
   * A mapping for an option that takes one ({@code worker-env}) stays whole.
   */
  private static List<ConfigFile.Entry> flattened(CommandSpec spec, ConfigFile file) {
    List<ConfigFile.Entry> out = new ArrayList<>();
    for (ConfigFile.Entry e : file.entries().values()) {
      OptionSpec whole = spec.findOption("--" + e.key());
      if (e.value().isObject()
          && (whole == null || !(Map.class.isAssignableFrom(whole.type()) || whole.type() == TenantList.class))) {
        e.value().fields().forEachRemaining(
            f -> out.add(new ConfigFile.Entry(e.key() + "-" + f.getKey(), f.getValue(), e.fieldLines().getOrDefault(f.getKey(), e.line()))));
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /** Where the value of option {@code key} came from; absent when from neither file nor command line. */
  Map<String, String> sources() {
    return Collections.unmodifiableMap(sources);
  }

  /**
   * A settings check's refusal ({@code "workers: 0 (expected: > 0)"}) about a value from the file,
   * in the file's terms ({@code "drover.yaml:3: workers: 0 (expected: > 0)"}); null when the
   * refused setting did not come from the file (the command line's errors say it their way).
   */
  String refusal(CommandSpec spec, IllegalArgumentException refusal, Map<String, String> aliases) {
    if (file == null) {
      return null;
    }
    Matcher m = LEADING_KEY.matcher(String.valueOf(refusal.getMessage()));
    if (!m.matches()) {
      return null;
    }
    String setting = m.group(1);
    String option = aliases.getOrDefault(setting, "--" + kebab(setting));
    OptionSpec o = spec.findOption(option);
    if (o == null) {
      return null;
    }
    ConfigFile.Entry e = file.entries().get(key(o));
    if (e == null || !file.where(e.line()).equals(sources.get(key(o)))) {
      return null;
    }
    // Other settings the refusal names are the file's keys too: autoscaleMax -> autoscale-max.
    String rest = CAMEL_WORD.matcher(m.group(2)).replaceAll(w -> spec.findOption("--" + kebab(w.group())) != null ? kebab(w.group()) : w.group());
    return file.where(e.line()) + ": " + e.key() + ": " + rest;
  }

  static String key(OptionSpec o) {
    return o.longestName().replaceFirst("^-+", "");
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** The value {@code node} gives option {@code o}, of the option's own type. */
  private static Object convert(OptionSpec o, JsonNode node) {
    Class<?> type = o.type();
    if (type == TenantList.class) {
      return TenantList.of(node);
    }
    if (List.class.isAssignableFrom(type)) {
      Class<?> element = o.auxiliaryTypes()[0];
      List<Object> list = new ArrayList<>();
      if (node.isArray()) {
        for (JsonNode item : node) {
          list.add(scalar(element, item, "a list of " + plural(element)));
        }
      } else {
        String split = o.splitRegex();
        String text = (String) scalar(String.class, node, "a list of " + plural(element));
        for (String part : split.isEmpty() ? new String[] {text} : text.split(split)) {
          list.add(scalar(element, new com.fasterxml.jackson.databind.node.TextNode(part), noun(element)));
        }
      }
      return list;
    }
    if (Map.class.isAssignableFrom(type)) {
      if (!node.isObject()) {
        throw new IllegalArgumentException("a mapping of NAME: value");
      }
      Map<String, String> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), (String) scalar(String.class, f.getValue(), "a mapping of NAME: value")));
      return map;
    }
    if (o.arity().max() == 0) {
      if (!node.isBoolean()) {
        throw new IllegalArgumentException("true or false");
      }
      return node.booleanValue();
    }
    return scalar(type, node, noun(type) + (seconds(o) ? " or a duration such as 500ms, 30s, 5m" : ""));
  }

  private static boolean seconds(OptionSpec o) {
    return "S".equals(o.paramLabel());
  }

  private static Object scalar(Class<?> type, JsonNode node, String expected) {
    if (type == Integer.class || type == int.class) {
      if (node.isIntegralNumber() && node.canConvertToInt()) {
        return node.intValue();
      }
    } else if (type == Long.class || type == long.class) {
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return node.longValue();
      }
    } else if (type == Double.class || type == double.class) {
      if (node.isNumber()) {
        return node.doubleValue();
      }
      if (node.isTextual()) {
        Double s = durationSeconds(node.textValue());
        if (s != null) {
          return s;
        }
      }
    } else if (type == String.class) {
      if (node.isValueNode() && !node.isNull()) {
        return node.asText();
      }
    } else if (type == Path.class) {
      if (node.isTextual() && !node.textValue().isEmpty()) {
        return path(node.textValue());
      }
    } else {
      throw new IllegalStateException("no conversion from YAML to " + type);
    }
    throw new IllegalArgumentException(expected);
  }

  /** {@code text} as a path, a leading {@code ~/} meaning the user's home as in a shell. */
  private static Path path(String text) {
    return text.equals("~") || text.startsWith("~/")
        ? Path.of(System.getProperty("user.home")).resolve(text.substring(1).replaceFirst("^/", ""))
        : Path.of(text);
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m} / {@code 5min}, {@code 1h} in seconds; null if not a duration. */
  static Double durationSeconds(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    double n = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n / 1000;
      case "s" -> n;
      case "m", "min" -> n * 60;
      default -> n * 3600;
    };
  }

  private static String noun(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number of seconds";
    }
    if (type == Path.class) {
      return "a path";
    }
    return "a string";
  }

  private static String plural(Class<?> type) {
    return noun(type).replaceFirst("^an? ", "") + "s";
  }

  private static String shown(JsonNode value) {
    if (value.isNull()) {
      return "no value";
    }
    if (value.isContainerNode()) {
      return value.isArray() ? "a list" : "a mapping";
    }
    return CliErrors.shown(value.asText());
  }

  /** {@code " (did you mean 'max-queued-tasks'?)"} for the closest setting, or nothing when none is close. */
  private static String suggestion(CommandSpec spec, String key) {
    Set<String> keys = new TreeSet<>();
    for (OptionSpec o : spec.options()) {
      if (!NOT_SETTINGS.contains(key(o))) {
        keys.add(key(o));
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : keys) {
      int d = EditDistance.between(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    // A third of the key's length: close enough to be a typo, not a different word.
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? " (did you mean " + best + "?)" : "";
  }
}
