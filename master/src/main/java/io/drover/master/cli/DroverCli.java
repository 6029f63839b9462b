package io.drover.master.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code drover} command: the runnable jar's main class. */
@Command(
    name = "drover",
    mixinStandardHelpOptions = true,
    versionProvider = DroverCli.Version.class,
    description = "Drover: a high-throughput task-dispatch cluster for the JVM.",
    subcommands = {MasterCommand.class, SubmitCommand.class, JobCommand.class, StatusCommand.class, LogsCommand.class, ConfigCommand.class, ControlCommands.Reload.class, ControlCommands.Scale.class, ControlCommands.Restart.class, ControlCommands.Upgrade.class, WorkerCommand.class, TokenCommand.class})
public final class DroverCli {
  private DroverCli() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    int code = run(args);
    // The log is written by a daemon thread (logback.xml): drain it before exiting.
    io.drover.master.internal.logging.LoggingShutdown.flush();
    System.exit(code);
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return CliErrors.install(new CommandLine(new DroverCli())).execute(args);
  }

  /** Reports the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DroverCli.class.getPackage().getImplementationVersion();
      return new String[] {"drover " + (v == null ? "(development build)" : v)};
    }
  }
}
