package io.drover.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.client.DroverClientException;
import io.drover.client.Job;
import io.drover.client.JobOutcome;
import io.drover.client.SubtaskListener;
import io.drover.client.SubtaskOutcome;
import io.drover.client.TaskOptions;
import io.drover.client.TaskPriority;
import io.drover.master.config.MasterConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

  @Override
  public Integer call() throws Exception {
    if (repeat < 1 || timeoutSeconds < 1) {
      System.err.println("drover job: --repeat and --timeout must be >= 1");
      return 2;
    }
    List<byte[]> inputs = inputs();
    Job.Builder builder = Job.builder(type);
    for (int r = 0; r < repeat; r++) {
      inputs.forEach(builder::add);
    }
    if (reduce != null) {
      builder.reduce(reduce);
    }
    Job job = builder.build();
    PrintStream out = System.out;
    SubtaskListener listener = stream && !json ? s -> printSubtask(out, s) : null;
    long start = System.nanoTime();
    try (DroverClient client =
        DroverClient.builder().host(host).port(port).defaultTimeout(Duration.ofSeconds(timeoutSeconds)).build()) {
      JobOutcome outcome = client.submitJob(job, options(), listener).get();
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
    } catch (DroverClientException e) {
      System.err.println("drover job: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
    }
  }

  private List<byte[]> inputs() throws IOException {
    List<byte[]> inputs = new ArrayList<>();
    payloads.forEach(p -> inputs.add(p.getBytes(StandardCharsets.UTF_8)));
    for (Path f : payloadFiles) {
      inputs.add(Files.readAllBytes(f));
    }
    if (lines != null) {
      List<String> all =
          lines.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
              : Files.readAllLines(Path.of(lines), StandardCharsets.UTF_8);
      all.stream().filter(l -> !l.isBlank()).forEach(l -> inputs.add(l.getBytes(StandardCharsets.UTF_8)));
    }
    return inputs;
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
