package io.drover.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.client.DroverClientBuilder;
import io.drover.client.TaskOptions;
import io.drover.master.config.MasterConfig;
import io.drover.protocol.FrameLimits;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drover submit}: sends one task and prints its result, or sends many with a window of
 * tasks in flight and prints a summary. Exits 0 only when every task succeeded.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Submit tasks to a running master and print the result (or, with --count, a summary).")
final class SubmitCommand implements Callable<Integer> {
  /** The client's settings whose options are not named after them. */
  static final Map<String, String> CLIENT_SETTINGS =
      Map.of("defaultTimeout", "--timeout", "maxInFlight", "--concurrency", "deadline", "--deadline-ms");

  @Spec CommandSpec spec;

  @Option(names = "--host", description = "Master address (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Master port (default: ${DEFAULT-VALUE}).")
  int port = MasterConfig.DEFAULT_PORT;

  @picocli.CommandLine.Mixin ClientTlsOptions tlsOptions = new ClientTlsOptions();

  @picocli.CommandLine.Mixin ClientTokenOptions tokenOptions = new ClientTokenOptions();

  @Option(names = "--type", required = true, description = "Task type, e.g. echo, sha256, sleep.")
  String type;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PayloadSource payload;

  /** Where the payload comes from. */
  static final class PayloadSource {
    @Option(names = "--payload", paramLabel = "TEXT", description = "Payload as UTF-8 text.")
    String text;

    @Option(names = "--payload-file", paramLabel = "FILE", description = "Payload read from a file.")
    Path file;

    byte[] bytes(CommandSpec spec, int maxFrameBytes) {
      return text != null ? text.getBytes(StandardCharsets.UTF_8) : PayloadFiles.read(spec, "--payload-file", file, maxFrameBytes);
    }
  }

  @Option(names = "--count", description = "How many times to submit the task (default: ${DEFAULT-VALUE}).")
  long count = 1;

  @Option(names = "--concurrency", description = "Tasks in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency = 64;

  @Option(names = "--timeout", description = "Seconds to wait for each result (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 30;

  @Option(
      names = "--no-retry",
      description = "The task is not safe to run twice: if its worker dies, fail it instead of re-running it.")
  boolean noRetry;

  @Option(names = "--routing-key", description = "Routing key: under the consistent-hash scheduler, tasks with the same key go to the same worker.")
  String routingKey;

  @Option(names = "--deadline-ms", description = "Deadline enforced by the master, in ms after it receives each task.")
  Long deadlineMs;

  @Option(names = "--priority", description = "low, normal (default) or high.")
  io.drover.client.TaskPriority priority = io.drover.client.TaskPriority.NORMAL;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = "--max-frame-bytes",
      description = "Largest frame sent or read; a payload may take it less 4 KiB. Raise it with the master's (default: 16 MiB).")
  int maxFrameBytes = FrameLimits.DEFAULT_MAX_FRAME_BYTES;

  @Override
  public Integer call() throws Exception {
    OptionErrors.checkAtLeast(spec, "--count", count, 1);
    OptionErrors.checkAtLeast(spec, "--concurrency", concurrency, 1);
    OptionErrors.checkAtLeast(spec, "--timeout", timeoutSeconds, 1);
    OptionErrors.checkAtLeast(spec, "--max-frame-bytes", maxFrameBytes, FrameLimits.MIN_MAX_FRAME_BYTES);
    // Room in the client for the whole window, so that SubmitRun's window alone paces the run.
    DroverClientBuilder builder =
        OptionErrors.fromSettings(
            spec,
            CLIENT_SETTINGS,
            () ->
                DroverClient.builder()
                    .host(host)
                    .port(port)
                    .defaultTimeout(Duration.ofSeconds(timeoutSeconds))
                    .maxInFlight(concurrency)
                    .maxFrameBytes(maxFrameBytes)
                    .tls(tlsOptions.toTls())
                    .token(tokenOptions.token()));
    TaskOptions options = OptionErrors.fromSettings(spec, CLIENT_SETTINGS, this::options);
    byte[] bytes = payload.bytes(spec, maxFrameBytes);
    try (DroverClient client = builder.build()) {
      return count == 1 && !json ? submitOne(client, bytes, options) : submitMany(client, bytes, options);
    }
  }

  private int submitOne(DroverClient client, byte[] bytes, TaskOptions options) throws InterruptedException {
    try {
      byte[] result = client.submit(type, bytes, options).get();
      PrintStream out = System.out;
      out.write(result, 0, result.length);
      out.println();
      out.flush();
      return 0;
    } catch (ExecutionException e) {
      System.err.println("drover submit: " + describe(e.getCause()));
      return 1;
    }
  }

  private int submitMany(DroverClient client, byte[] bytes, TaskOptions options) throws Exception {
    SubmitRun run = new SubmitRun(client, type, bytes, options, count, concurrency);
    SubmitRun.Summary s = run.execute();
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("type", type);
      o.put("submitted", s.submitted());
      o.put("ok", s.ok());
      o.put("failed", s.failed());
      o.put("statuses", s.statuses());
      o.put("elapsed_s", s.elapsedSeconds());
      o.put("tasks_per_s", Math.round(s.tasksPerSecond()));
      if (count == 1 && s.firstResult() != null) {
        o.put("result", new String(s.firstResult(), StandardCharsets.UTF_8));
      }
      if (s.firstError() != null) {
        o.put("first_error", describe(s.firstError()));
      }
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      System.out.printf(
          "submitted %d, ok %d, failed %d in %.3f s: %.0f tasks/s; statuses %s%n",
          s.submitted(), s.ok(), s.failed(), s.elapsedSeconds(), s.tasksPerSecond(), s.statuses());
      if (s.firstError() != null) {
        System.out.println("first error: " + describe(s.firstError()));
      }
    }
    return s.failed() == 0 && s.ok() == count ? 0 : 1;
  }

  private TaskOptions options() {
    TaskOptions options = TaskOptions.defaults();
    options = noRetry ? options.withNoRetry() : options;
    options = options.withPriority(priority);
    if (deadlineMs != null) {
      options = options.withDeadline(java.time.Duration.ofMillis(deadlineMs));
    }
    return routingKey != null ? options.withRoutingKey(routingKey) : options;
  }

  static String describe(Throwable t) {
    return CliErrors.runtimeProblem(t);
  }
}
