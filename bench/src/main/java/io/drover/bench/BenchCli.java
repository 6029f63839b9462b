package io.drover.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Main class of drover-bench.jar: the load generator, the baselines and JMH. */
@Command(
    name = "drover",
    mixinStandardHelpOptions = true,
    description = "Drover benchmarking tools.",
    subcommands = {
      io.drover.bench.loadgen.LoadGeneratorCommand.class,
      io.drover.bench.relay.BaselineRelayCommand.class,
      io.drover.bench.jobs.JobLoadCommand.class,
      io.drover.bench.fuzz.FuzzCommand.class,
      BenchCli.Jmh.class
    })
public final class BenchCli {
  private BenchCli() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      // JMH parses its own options; hand them over untouched.
      org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(run(args));
  }

  /** Runs the command line (any verb but {@code jmh}) and returns its exit code (for tests). */
  public static int run(String... args) {
    return io.drover.master.cli.CliErrors.install(new CommandLine(new BenchCli())).execute(args);
  }

  /** {@code drover jmh [JMH options]}: runs the JMH benchmarks in this jar. */
  @Command(name = "jmh", description = "Run the JMH benchmarks (all JMH options are accepted).")
  static final class Jmh implements Runnable {
    @Override
    public void run() {
      // Handled in main before picocli sees the arguments.
    }
  }
}
