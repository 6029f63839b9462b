package io.drover.master.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Usage errors that name the option, the value given and what was expected, in the form of
 * Drover's argument checks: {@code --workers: 0 (expected: > 0)}. {@link CliErrors} prints them
 * as one line and exits 2.
 */
public final class OptionErrors {
  private static final Pattern LEADING_KEY = Pattern.compile("^([A-Za-z][\\w-]*): (.*?)( \\(expected.*)$", Pattern.DOTALL);
  private static final Pattern CAMEL_WORD = Pattern.compile("(?<![\\w-])[a-z]+[A-Z][A-Za-z]*(?![\\w-])");

  private OptionErrors() {}

  /** A usage error whose message is already the line to print. */
  static final class BadOptionException extends ParameterException {
    private static final long serialVersionUID = 1L;

    BadOptionException(CommandSpec spec, String message) {
      super(spec.commandLine(), message);
    }
  }

  /** {@code option: value (expected: expected)}. */
  public static ParameterException badValue(CommandSpec spec, String option, Object value, String expected) {
    return new BadOptionException(spec, option + ": " + CliErrors.shown(String.valueOf(value)) + " (expected: " + expected + ")");
  }

  /** {@code option: value: problem (expected: expected)}, for a value that is well-formed but unusable. */
  public static ParameterException badValue(
      CommandSpec spec, String option, Object value, String problem, String expected) {
    return new BadOptionException(
        spec, option + ": " + CliErrors.shown(String.valueOf(value)) + ": " + problem + " (expected: " + expected + ")");
  }

  /** {@code what is required (see drover job --help)}: an option, or one of several, was not given. */
  public static ParameterException required(CommandSpec spec, String what) {
    return new BadOptionException(spec, what + " is required (see " + spec.qualifiedName() + " --help)");
  }

  /** Refuses {@code value} of {@code option} when it is below {@code min}. */
  public static void checkAtLeast(CommandSpec spec, String option, long value, long min) {
    if (value < min) {
      throw badValue(spec, option, value, ">= " + min);
    }
  }

  /**
   * Runs {@code build} (a settings builder, whose argument checks throw {@link
   * IllegalArgumentException} naming a setting) and turns such a refusal into a usage error about
   * the option behind the setting.
   *
   * @param aliases settings whose names are not the options' in camel case, e.g. {@code
   *     "defaultTimeout" -> "--timeout"}
   */
  public static <T> T fromSettings(CommandSpec spec, Map<String, String> aliases, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw fromSetting(spec, e, aliases);
    }
  }

  /**
   * The usage error for a settings check's {@code refusal} ({@code "heartbeatTimeout: 1 s
   * (expected: > heartbeatInterval 2 s)"}): each setting's name becomes its option's ({@code
   * --heartbeat-timeout}), and the value becomes the one given on the command line, if it was.
   */
  public static ParameterException fromSetting(CommandSpec spec, IllegalArgumentException refusal, Map<String, String> aliases) {
    Map<String, OptionSpec> options = optionsBySetting(spec, aliases);
    String message = String.valueOf(refusal.getMessage());
    Matcher m = LEADING_KEY.matcher(message);
    if (m.matches() && options.containsKey(m.group(1))) {
      OptionSpec option = options.get(m.group(1));
      List<String> given = option.originalStringValues();
      String value = given.isEmpty() ? m.group(2) : CliErrors.shown(given.get(given.size() - 1));
      message = option.longestName() + ": " + value + renameSettings(m.group(3), options);
    } else {
      message = renameSettings(message, options);
    }
    return new BadOptionException(spec, message);
  }

  /** {@code text} with each setting name in camel case replaced by its option's name. */
  private static String renameSettings(String text, Map<String, OptionSpec> options) {
    return CAMEL_WORD.matcher(text).replaceAll(w -> {
      OptionSpec o = options.get(w.group());
      return Matcher.quoteReplacement(o == null ? w.group() : o.longestName());
    });
  }

  /** Each option under its own name without dashes, that name in camel case, and any alias. */
  private static Map<String, OptionSpec> optionsBySetting(CommandSpec spec, Map<String, String> aliases) {
    Map<String, OptionSpec> byName = new HashMap<>();
    for (OptionSpec o : spec.options()) {
      String kebab = o.longestName().replaceFirst("^-+", "");
      byName.put(kebab, o);
      byName.put(camel(kebab), o);
    }
    aliases.forEach((setting, option) -> {
      OptionSpec o = spec.findOption(option);
      if (o != null) {
        byName.put(setting, o);
      }
    });
    return byName;
  }

  private static String camel(String kebab) {
    StringBuilder s = new StringBuilder(kebab.length());
    boolean upper = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        s.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return s.toString();
  }
}
