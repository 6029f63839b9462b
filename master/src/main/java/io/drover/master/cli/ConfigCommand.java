package io.drover.master.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code drover config check FILE} and {@code drover config show [MASTER OPTIONS]}: what a master
 * would make of a configuration file and a command line, without starting one.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check a master configuration file, or show the settings a master would run with.",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
final class ConfigCommand {
  private ConfigCommand() {}

  /** Reads {@code args} as {@code drover master} would and builds its settings. */
  static MasterCommand.Effective master(List<String> args) {
    MasterCommand master = new MasterCommand();
    CommandLine cl = CliErrors.install(new CommandLine(master));
    cl.parseArgs(args.toArray(String[]::new));
    return master.effectiveConfig();
  }

  /** {@code drover config check FILE}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Validate a configuration file without starting anything: exit 0 when a master would"
              + " accept it, else 1 with one line per problem (file:line: key: why).")
  static final class Check implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The YAML file, as given to drover master --config.")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        MasterCommand.Effective e = master(List.of("--config", file.toString()));
        long set = e.sources().sources().values().stream().filter(s -> !s.equals("command line")).count();
        out.println(file + ": valid (" + set + (set == 1 ? " setting" : " settings") + ")");
        out.flush();
        return 0;
      } catch (CommandLine.ParameterException problem) {
        for (String line : String.valueOf(problem.getMessage()).split("\n")) {
          err.println(spec.qualifiedName() + ": " + line);
        }
        err.flush();
        return 1;
      }
    }
  }

  /** {@code drover config show [MASTER OPTIONS]}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Print every setting a master started with these options (--config FILE and any other"
              + " drover master option) would run with, and where each value comes from.")
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Unmatched List<String> masterArgs = new ArrayList<>();

    @Override
    public Integer call() {
      MasterCommand.Effective e;
      try {
        e = master(masterArgs);
      } catch (CommandLine.ParameterException problem) {
        // Reported as this command's usage error, in drover master's words.
        throw new OptionErrors.BadOptionException(spec, CliErrors.usageProblem(problem));
      }
      Map<String, String> values = io.drover.master.config.SettingKeys.values(e.config());
      Map<String, String> sources = e.sources().sources();
      int keyWidth = "SETTING".length();
      int valueWidth = "VALUE".length();
      for (Map.Entry<String, String> v : values.entrySet()) {
        keyWidth = Math.max(keyWidth, v.getKey().length());
        valueWidth = Math.max(valueWidth, Math.min(v.getValue().length(), 60));
      }
      PrintWriter out = spec.commandLine().getOut();
      String row = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
      out.printf(row, "SETTING", "VALUE", "FROM");
      for (Map.Entry<String, String> v : values.entrySet()) {
        out.printf(row, v.getKey(), v.getValue(), source(v.getKey(), sources));
      }
      out.flush();
      return 0;
    }

    private static String source(String key, Map<String, String> sources) {
      String s = sources.get(key);
      if (s != null) {
        return s;
      }
      if (key.equals("admin-port") && System.getenv("DROVER_ADMIN_PORT") != null) {
        return "environment (DROVER_ADMIN_PORT)";
      }
      return "default";
    }
  }
}
