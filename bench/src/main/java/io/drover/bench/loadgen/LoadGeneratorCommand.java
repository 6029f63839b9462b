package io.drover.bench.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import io.drover.master.cli.OptionErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench}: drives a Drover master (or the bare relay) with tasks and reports
 * throughput and latency. Exit code 0 when the run completed with no failed task and no lost
 * connection, 1 otherwise (or when it could not connect), 2 for bad options.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Load generator: closed loop (--connections x --concurrency tasks in flight) or open loop"
          + " (--rate tasks/s on a constant schedule, latency from each task's intended send"
          + " time).",
      "Exit code: 0 when the run completed with no errors, 1 on task errors, lost connections or"
          + " connection failure, 2 on bad options."
    })
public final class LoadGeneratorCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin io.drover.master.cli.ClientTlsOptions tlsOptions = new io.drover.master.cli.ClientTlsOptions();

  @picocli.CommandLine.Mixin io.drover.master.cli.ClientTokenOptions tokenOptions = new io.drover.master.cli.ClientTokenOptions();

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7070", description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--type", defaultValue = "echo", description = "Task type (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--payload-bytes", defaultValue = "64", description = "Payload size (default: ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS", description = "Measured phase (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--warmup", defaultValue = "3", paramLabel = "SECONDS", description = "Warm-up, discarded (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--connections", defaultValue = "4", description = "TCP connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--concurrency",
      defaultValue = "512",
      description = "Tasks in flight per connection; with --rate, the cap on outstanding tasks per connection (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--rate", defaultValue = "0", description = "Open loop: tasks/s across all connections (default: closed loop).")
  double rate;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Per-task timeout (default: ${DEFAULT-VALUE}).")
  double timeout;

  @Option(
      names = "--expect-echo-frames",
      description = "Replies are the request frames echoed back (the bare relay): read the request id from the RequestHeader.")
  boolean expectEchoFrames;

  @Option(names = "--tick-us", defaultValue = "100", hidden = true, description = "Open loop: schedule check period in µs.")
  int tickMicros;

  @Option(
      names = "--client",
      defaultValue = "loadgen",
      paramLabel = "loadgen|java",
      description = {
        "What sends the tasks (default: ${DEFAULT-VALUE}): loadgen, the load generator's own lean connections;"
            + " java, the real Java client as user code drives it (one DroverClient per connection, a submitting"
            + " thread with a semaphore of --concurrency permits, replies counted in whenComplete; closed loop only)."
      })
  String client;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--histogram", paramLabel = "FILE", description = "Write the HdrHistogram percentile distribution (µs) to FILE.")
  Path histogramFile;

  @Option(
      names = "--flood-malformed",
      description = "Meanwhile, one more connection sends malformed frames (a header that is not a valid RequestHeader) as fast as the server takes them, for the whole run: what a misbehaving client costs the others.")
  boolean floodMalformed;

  @Override
  public Integer call() throws Exception {
    LoadSettings settings =
        OptionErrors.fromSettings(
            spec,
            java.util.Map.of("tickUs", "--tick-us"),
            () ->
                new LoadSettings(
                    host, port, type, payloadBytes, duration, warmup, connections, concurrency, rate,
                    timeout, expectEchoFrames, tickMicros));
    if (!client.equals("loadgen") && !client.equals("java")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--client: '" + client + "' (expected: loadgen or java)");
    }
    if (javaClient() && (settings.openLoop() || settings.expectEchoFrames() || floodMalformed)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--client java: closed loop against a master only (expected: no --rate, --expect-echo-frames or --flood-malformed)");
    }
    LoadReport report;
    MalformedFlood flood = null;
    try {
      if (floodMalformed) {
        flood = MalformedFlood.start(host, port);
      }
      io.drover.client.DroverTls tls = OptionErrors.fromSettings(spec, java.util.Map.of(), tlsOptions::toTls);
      String token = OptionErrors.fromSettings(spec, java.util.Map.of(), tokenOptions::token);
      report =
          javaClient()
              ? new JavaClientLoad(settings, tls, token).run()
              : new LoadGenerator(settings, tls).token(token).run();
    } finally {
      if (flood != null) {
        flood.close();
      }
    }
    if (json) {
      System.out.println(flood == null && !javaClient() ? report.toJson() : withExtras(report, flood));
    } else {
      if (javaClient()) {
        System.out.println("client       java (DroverClient, a submitting thread per connection)");
      }
      report.printText(System.out);
      if (flood != null) {
        System.out.println(flood.describe());
      }
    }
    if (!report.keptUp()) {
      System.err.printf(
          "drover bench: the generator sent %.0f tasks/s of the %.0f requested%n",
          report.sentPerSecond(), settings.rate());
    }
    if (histogramFile != null) {
      writeHistogram(report, histogramFile);
    }
    return report.exitCode();
  }

  private boolean javaClient() {
    return "java".equals(client);
  }

  private String withExtras(LoadReport report, MalformedFlood flood) throws IOException {
    java.util.Map<String, Object> map = report.toMap();
    if (flood != null) {
      map.put("flood_malformed", flood.toMap());
    }
    if (javaClient()) {
      map.put("client", "java");
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
  }

  private static void writeHistogram(LoadReport report, Path file) throws IOException {
    try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "UTF-8")) {
      // The histogram holds nanoseconds; scaling by 1000 prints microseconds.
      report.histogram().outputPercentileDistribution(out, 1000.0);
    }
  }
}
