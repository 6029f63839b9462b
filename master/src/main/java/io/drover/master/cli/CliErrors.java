package io.drover.master.cli;

import io.drover.client.DroverClientException;
import io.drover.client.DroverTaskException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Answers every mistake on a {@code drover} command line, and every failure of a command, with one
 * line on standard error: {@code drover submit: --port: abc (expected: an integer)}, {@code drover
 * submit: cannot connect to the Drover master at 127.0.0.1:7070: nothing is listening there}. No
 * stack trace and no usage text (that is what {@code --help} is for). The exit code follows
 * picocli's convention: 2 for a usage error (a bad, missing or unknown option), 1 for a failure at
 * run time.
 *
 * <p>Installed once per command line with {@link #install(CommandLine)}, so that every verb,
 * including those of the bench jar, answers the same way. A command reports a bad option value it
 * finds itself by throwing {@link OptionErrors#badValue}; an {@link IllegalArgumentException} from
 * a settings builder becomes a usage error through {@link OptionErrors#fromSetting}.
 */
public final class CliErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
  private CliErrors() {}

  /** Makes {@code commandLine} (and its subcommands) answer errors with one line; returns it. */
  public static CommandLine install(CommandLine commandLine) {
    CliErrors handler = new CliErrors();
    return commandLine
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(handler)
        .setExecutionExceptionHandler(handler);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    if (ex instanceof OptionErrors.BadOptionException) {
      // One line per problem: a configuration file may have several, each naming its line.
      for (String line : String.valueOf(ex.getMessage()).split("\n")) {
        print(cl, line);
      }
    } else {
      print(cl, usageProblem(ex));
    }
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    print(cl, runtimeProblem(ex));
    return cl.getCommandSpec().exitCodeOnExecutionException();
  }

  private static void print(CommandLine cl, String problem) {
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(problem));
    err.flush();
  }

  /** What is wrong with the command line, naming the option and the value. */
  static String usageProblem(ParameterException ex) {
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    String help = "see " + spec.qualifiedName() + " --help";
    if (ex instanceof OptionErrors.BadOptionException) {
      return ex.getMessage();
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      return unmatched(spec, u, help);
    }
    if (ex instanceof CommandLine.MissingParameterException m) {
      return missing(m, help);
    }
    if (ex instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() != null) {
      return name(o.getOverwritten()) + ": given more than once (expected: once)";
    }
    if (ex.getArgSpec() != null && ex.getValue() != null) {
      return name(ex.getArgSpec()) + ": " + shown(ex.getValue()) + " (expected: " + expected(ex) + ")";
    }
    if (ex.getMessage() != null && ex.getMessage().startsWith("Missing required subcommand")) {
      return "missing command (expected one of: " + String.join(", ", visibleSubcommands(spec)) + "; " + help + ")";
    }
    return stripError(ex.getMessage()) + " (" + help + ")";
  }

  private static String unmatched(CommandSpec spec, CommandLine.UnmatchedArgumentException u, String help) {
    String arg = u.getUnmatched().get(0);
    List<String> suggestions = u.getSuggestions();
    String didYouMean = suggestions.isEmpty() ? "" : "did you mean " + String.join(" or ", suggestions) + "? ";
    if (arg.startsWith("-")) {
      return arg + ": unknown option (" + didYouMean + help + ")";
    }
    if (!spec.subcommands().isEmpty()) {
      return arg + ": unknown command (" + didYouMean + "expected one of: "
          + String.join(", ", visibleSubcommands(spec)) + ")";
    }
    return arg + ": unexpected argument (" + help + ")";
  }

  private static String missing(CommandLine.MissingParameterException m, String help) {
    List<String> names = new ArrayList<>();
    for (ArgSpec a : m.getMissing()) {
      names.add(name(a));
    }
    String message = String.valueOf(m.getMessage());
    if (message.startsWith("Missing required parameter") && names.size() == 1) {
      // The option was given without its value.
      return names.get(0) + ": no value (expected: " + m.getMissing().get(0).paramLabel() + ")";
    }
    if (message.contains("specify one of these")) {
      return "one of " + String.join(", ", names) + " is required (" + help + ")";
    }
    return String.join(", ", names) + (names.size() == 1 ? " is" : " are") + " required (" + help + ")";
  }

  /** What a value of the option's type looks like. */
  private static String expected(ParameterException ex) {
    Class<?> type = ex.getArgSpec().type();
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class
        || type == short.class || type == Short.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "a number";
    }
    if (type.isEnum()) {
      return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
          .map(c -> c.toString().toLowerCase(Locale.ROOT)).toList());
    }
    Throwable cause = ex.getCause();
    return cause != null && cause.getMessage() != null ? cause.getMessage() : ex.getArgSpec().paramLabel();
  }

  /** What went wrong while a command ran, in the words its user needs. */
  static String runtimeProblem(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof DroverTaskException e) {
      return e.status() + ": " + e.detail();
    }
    if (t instanceof DroverClientException) {
      return t.getMessage();
    }
    if (t instanceof NoSuchFileException e) {
      return e.getFile() + ": no such file";
    }
    if (t instanceof AccessDeniedException e) {
      return e.getFile() + ": permission denied";
    }
    if (t instanceof IOException && t.getMessage() != null) {
      return t.getMessage();
    }
    if (t instanceof InterruptedException) {
      return "interrupted";
    }
    // A defect rather than a mistake: still one line, but with the type, which is all there is.
    return t.getMessage() != null ? t.getMessage() : "unexpected " + t.getClass().getSimpleName();
  }

  private static List<String> visibleSubcommands(CommandSpec spec) {
    return spec.subcommands().entrySet().stream()
        .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
        .map(java.util.Map.Entry::getKey)
        .toList();
  }

  private static String name(ArgSpec a) {
    return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
  }

  /** A value as given, quoted when it would otherwise be invisible or ambiguous. */
  static String shown(String value) {
    return value.isEmpty() || value.isBlank() || value.contains(" (") ? "'" + value + "'" : value;
  }

  private static String stripError(String message) {
    String m = String.valueOf(message);
    return m.startsWith("Error: ") ? m.substring("Error: ".length()) : m;
  }

  private static String oneLine(String s) {
    return String.valueOf(s).strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
