package io.drover.master.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drover logs}: the last lines of a running master's log and of its workers' output, from
 * its admin endpoint's {@code /logs}, each prefixed with its source ({@code [master]} or {@code
 * [worker 2 pid 4242]}); with {@code -f}, the lines that follow, as they come, until Ctrl-C or
 * the master stops. A master that stops (ends the stream) exits 0 with a note on standard error; a
 * connection that breaks (the master died) exits 1.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print a running master's last log lines and its workers' output (from its admin endpoint's /logs),",
      "each prefixed with [master] or [worker ID pid PID]; -f follows new lines until Ctrl-C or the master stops."
    })
final class LogsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--admin", paramLabel = "HOST:PORT", description = "The master's admin endpoint (default: ${DEFAULT-VALUE}).")
  String admin = AdminEndpoint.DEFAULT;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they come, until Ctrl-C or the master stops.")
  boolean follow;

  @Option(names = "--worker", paramLabel = "ID", description = "Only worker slot ID's output (any of its processes), or 'master' for the master's own lines.")
  String worker;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many of the last lines to print first (default: ${DEFAULT-VALUE}; the master keeps 2000 at most).")
  int lines = 100;

  @Override
  public Integer call() throws Exception {
    AdminEndpoint endpoint = AdminEndpoint.parse(spec, "--admin", admin);
    if (lines < 0) {
      throw OptionErrors.badValue(spec, "--lines", Integer.toString(lines), "an integer >= 0");
    }
    if (worker != null && !worker.equals("master") && !worker.matches("[1-9][0-9]{0,8}")) {
      throw OptionErrors.badValue(spec, "--worker", worker, "a worker id from 1, or master");
    }
    String path =
        "/logs?lines=" + lines
            + (worker == null ? "" : "&worker=" + URLEncoder.encode(worker, StandardCharsets.UTF_8))
            + (follow ? "&follow=1" : "");
    PrintWriter out = spec.commandLine().getOut();
    if (!follow) {
      out.print(endpoint.get(path));
      out.flush();
      return 0;
    }
    endpoint.follow(
        path,
        line -> {
          out.println(line);
          out.flush();
        });
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": the master at " + endpoint + " ended the log stream (it is shutting down)");
    err.flush();
    return 0;
  }
}
