package io.drover.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.master.cli.OptionErrors;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover-bench fuzz}: hostile input against a running master's client port, with a
 * bystander client beside it. Exit code 0 when the master broke no rule of PROTOCOL.md and every
 * bystander task succeeded, 1 otherwise, 2 for bad options.
 */
@Command(
    name = "fuzz",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Sends random and mutated frames (flipped bits, truncated varints, huge lengths, wrong wire"
          + " types, absurd jobs, half frames) from many connections at once while a bystander"
          + " client runs echo tasks, and checks every answer and close against PROTOCOL.md.",
      "Exit code: 0 when nothing broke the protocol and every bystander task succeeded, 1"
          + " otherwise, 2 on bad options."
    })
public final class FuzzCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Master address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7070", description = "Master client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--connections", defaultValue = "64", description = "Hostile connections at once (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--duration", defaultValue = "30", paramLabel = "SECONDS", description = "How long to fuzz (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--max-frame-bytes",
      defaultValue = "16777216",
      description = "The master's --max-frame-bytes, which the huge-length frames exceed (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(names = "--seed", description = "Seed of the frames (default: random, printed).")
  Long seed;

  @Option(names = "--bystander-in-flight", defaultValue = "32", description = "The bystander's tasks in flight (default: ${DEFAULT-VALUE}).")
  int bystanderInFlight;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
    FuzzRun run =
        OptionErrors.fromSettings(
            spec,
            java.util.Map.of(),
            () -> new FuzzRun(host, port, connections, Duration.ofNanos((long) (duration * 1e9)), maxFrameBytes, s, bystanderInFlight));
    FuzzRun.Result result;
    try (DroverClient bystander = DroverClient.builder().host(host).port(port).build()) {
      result = run.run(bystander);
    }
    System.out.println(json ? new ObjectMapper().writeValueAsString(result.toMap()) : result.describe());
    return result.passed() ? 0 : 1;
  }
}
