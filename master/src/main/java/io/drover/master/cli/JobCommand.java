package io.drover.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.client.DroverClientBuilder;
import io.drover.client.Job;
import io.drover.client.JobOutcome;
import io.drover.client.SubtaskListener;
import io.drover.client.SubtaskOutcome;
import io.drover.client.TaskOptions;
import io.drover.client.TaskPriority;
import io.drover.master.config.MasterConfig;
import io.drover.protocol.FrameLimits;
import io.drover.protocol.HumanUnits;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drover job}: sends one scatter/gather job and prints each subtask's outcome in order (or
 * as they complete, with {@code --stream}), the reduce result and a summary. Exits 0 only when
 * the job is OK.
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Submit a scatter/gather job: one subtask per --payload, --payload-file or line of --lines,",
      "run across the workers, results printed in order; optionally reduced by another task type.",
      "Example: drover job --type wordcount --lines book.txt --reduce sum"
    })
final class JobCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ClientTlsOptions tlsOptions = new ClientTlsOptions();

  @picocli.CommandLine.Mixin ClientTokenOptions tokenOptions = new ClientTokenOptions();

  @Option(names = "--host", description = "Master address (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Master port (default: ${DEFAULT-VALUE}).")
  int port = MasterConfig.DEFAULT_PORT;

  @Option(names = "--type", required = true, description = "The subtasks' task type, e.g. wordcount.")
  String type;

  @Option(names = "--payload", paramLabel = "TEXT", description = "A subtask's payload as UTF-8 text (repeatable).")
  List<String> payloads = new ArrayList<>();

  @Option(names = "--payload-file", paramLabel = "FILE", description = "A subtask whose payload is a file's bytes (repeatable).")
  List<Path> payloadFiles = new ArrayList<>();

  @Option(names = "--lines", paramLabel = "FILE", description = "One subtask per non-empty line of FILE ('-': standard input).")
  String lines;

  @Option(names = "--repeat", description = "Submit the list of subtasks this many times over, in one job (default: ${DEFAULT-VALUE}).")
  int repeat = 1;

  @Option(names = "--reduce", paramLabel = "TYPE", description = "Task type run on the gathered results, e.g. sum.")
  String reduce;

  @Option(names = "--stream", description = "Print each subtask's outcome as soon as it completes.")
  boolean stream;

  @Option(names = "--deadline-ms", description = "The whole job's deadline, enforced by the master: subtasks still running then are answered DEADLINE_EXCEEDED.")
  Long deadlineMs;

  @Option(names = "--priority", description = "low, normal (default) or high, for every subtask.")
  TaskPriority priority = TaskPriority.NORMAL;

  @Option(names = "--no-retry", description = "No subtask is safe to run twice.")
  boolean noRetry;

  @Option(names = "--timeout", description = "Seconds to wait for the job's answer (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 300;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = "--max-frame-bytes",
      description = "Largest frame sent or read: the job's payloads may take it less 4 KiB. Raise it with the master's (default: 16 MiB).")
  int maxFrameBytes = FrameLimits.DEFAULT_MAX_FRAME_BYTES;

  @Override
  public Integer call() throws Exception {
    OptionErrors.checkAtLeast(spec, "--repeat", repeat, 1);
    if (payloads.isEmpty() && payloadFiles.isEmpty() && lines == null) {
      throw OptionErrors.required(spec, "one of --payload, --payload-file, --lines");
    }
    OptionErrors.checkAtLeast(spec, "--timeout", timeoutSeconds, 1);
    OptionErrors.checkAtLeast(spec, "--max-frame-bytes", maxFrameBytes, FrameLimits.MIN_MAX_FRAME_BYTES);
    DroverClientBuilder clientBuilder =
        OptionErrors.fromSettings(
            spec,
            SubmitCommand.CLIENT_SETTINGS,
            () ->
                DroverClient.builder()
                    .host(host)
                    .port(port)
                    .defaultTimeout(Duration.ofSeconds(timeoutSeconds))
                    .maxFrameBytes(maxFrameBytes)
                    .tls(tlsOptions.toTls())
                    .token(tokenOptions.token()));
    TaskOptions options = OptionErrors.fromSettings(spec, SubmitCommand.CLIENT_SETTINGS, this::options);
    Job job = OptionErrors.fromSettings(spec, SubmitCommand.CLIENT_SETTINGS, () -> job(inputs()));
    PrintStream out = System.out;
    SubtaskListener listener = stream && !json ? s -> printSubtask(out, s) : null;
    long start = System.nanoTime();
    try (DroverClient client = clientBuilder.build()) {
      JobOutcome outcome = client.submitJob(job, options, listener).get();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(toJson(outcome, seconds)));
      } else {
        printOutcome(out, outcome, seconds);
      }
      return outcome.isOk() ? 0 : 1;
    } catch (ExecutionException e) {
      out.flush();
      System.err.println("drover job: " + SubmitCommand.describe(e.getCause()));
      return 1;
    } finally {
      out.flush();
    }
  }

  private Job job(List<byte[]> inputs) {
    Job.Builder builder = Job.builder(type);
    for (int r = 0; r < repeat; r++) {
      inputs.forEach(builder::add);
    }
    if (reduce != null) {
      builder.reduce(reduce);
    }
    return builder.build();
  }

  /** The subtasks' payloads, refused when they cannot all travel in one request. */
  private List<byte[]> inputs() {
    List<byte[]> inputs = new ArrayList<>();
    payloads.forEach(p -> inputs.add(p.getBytes(StandardCharsets.UTF_8)));
    for (Path f : payloadFiles) {
      inputs.add(PayloadFiles.read(spec, "--payload-file", f, maxFrameBytes));
    }
    if (lines != null) {
      byte[] text = lines.equals("-") ? standardInput() : PayloadFiles.read(spec, "--lines", Path.of(lines), maxFrameBytes);
      new String(text, StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .forEach(l -> inputs.add(l.getBytes(StandardCharsets.UTF_8)));
    }
    long total = (long) repeat * inputs.stream().mapToLong(b -> b.length).sum();
    if (total > PayloadFiles.maxPayloadBytes(maxFrameBytes)) {
      throw PayloadFiles.tooLarge(
          spec, "--payload, --payload-file, --lines and --repeat", "the job's payloads", HumanUnits.bytes(total) + " (" + total + " bytes)", maxFrameBytes);
    }
    return inputs;
  }

  private byte[] standardInput() {
    try {
      return PayloadFiles.readAtMost(spec, "--lines", "-", System.in, maxFrameBytes);
    } catch (java.io.IOException e) {
      throw OptionErrors.badValue(spec, "--lines", "-", String.valueOf(e.getMessage()), "readable standard input");
    }
  }

  private TaskOptions options() {
    TaskOptions options = TaskOptions.defaults().withPriority(priority);
    options = noRetry ? options.withNoRetry() : options;
    return deadlineMs != null ? options.withDeadline(Duration.ofMillis(deadlineMs)) : options;
  }

  private void printOutcome(PrintStream out, JobOutcome outcome, double seconds) {
    if (!stream) {
      for (SubtaskOutcome s : outcome.subtasks()) {
        // With a reduce step the subtasks' results are its business: show only what failed.
        if (reduce == null || !s.isOk()) {
          printSubtask(out, s);
        }
      }
    }
    outcome.reduce().ifPresent(r -> out.println("reduce " + describe(r)));
    out.printf(
        "job %s: %d subtasks, %d ok, %d failed in %.3f s%s%n",
        outcome.status(),
        outcome.subtasks().size(),
        outcome.subtasks().size() - outcome.failed().size(),
        outcome.failed().size(),
        seconds,
        outcome.message().isEmpty() ? "" : " (" + outcome.message() + ")");
  }

  private static void printSubtask(PrintStream out, SubtaskOutcome s) {
    out.println("#" + s.index() + " " + describe(s));
  }

  private static String describe(SubtaskOutcome s) {
    return s.isOk()
        ? "OK " + new String(s.body(), StandardCharsets.UTF_8)
        : s.status() + (s.message().isEmpty() ? "" : ": " + s.message());
  }

  private static Map<String, Object> toJson(JobOutcome outcome, double seconds) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("status", outcome.status().name());
    o.put("message", outcome.message());
    o.put("subtasks", outcome.subtasks().stream().map(JobCommand::toJson).toList());
    outcome.reduce().ifPresent(r -> o.put("reduce", toJson(r)));
    o.put("ok", outcome.subtasks().size() - outcome.failed().size());
    o.put("failed", outcome.failed().size());
    o.put("elapsed_s", seconds);
    return o;
  }

  private static Map<String, Object> toJson(SubtaskOutcome s) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("index", s.index());
    o.put("status", s.status().name());
    if (!s.message().isEmpty()) {
      o.put("message", s.message());
    }
    o.put("body", new String(s.body(), StandardCharsets.UTF_8));
    o.put("attempts", s.attempts());
    return o;
  }
}
