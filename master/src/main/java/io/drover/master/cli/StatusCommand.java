package io.drover.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover status}: a running master's workers, tasks and clients, from its admin endpoint. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a running master's workers, tasks and clients (from its admin endpoint's /status).")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--admin", paramLabel = "HOST:PORT", description = "The master's admin endpoint (default: ${DEFAULT-VALUE}).")
  String admin = AdminEndpoint.DEFAULT;

  @Option(names = "--json", description = "Print the JSON of /status as it is (fields: docs/OPERATIONS.md, \"Admin endpoint\").")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AdminEndpoint endpoint = AdminEndpoint.parse(spec, "--admin", admin);
    String body = endpoint.get("/status");
    if (json) {
      spec.commandLine().getOut().print(body);
    } else {
      spec.commandLine().getOut().print(StatusTable.render(new ObjectMapper().readTree(body)));
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
