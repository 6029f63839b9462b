package io.drover.bench.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.client.DroverClient;
import io.drover.client.DroverClientBuilder;
import io.drover.client.Job;
import io.drover.client.JobOutcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.drover.master.cli.OptionErrors;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-jobs}: keeps {@code --concurrency} jobs of {@code --subtasks} subtasks in
 * flight on one client connection for a warm-up and a measured phase, and reports jobs/s,
 * subtasks/s and job latency (submit to gathered answer). Every job's outcome is checked: a job
 * that is not OK, or whose result count is wrong, makes the run fail (exit 1).
 */
@Command(
    name = "bench-jobs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Closed-loop load of scatter/gather jobs through the Java client: subtasks/s and job latency.")
public final class JobLoadCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin io.drover.master.cli.ClientTlsOptions tlsOptions = new io.drover.master.cli.ClientTlsOptions();

  @picocli.CommandLine.Mixin io.drover.master.cli.ClientTokenOptions tokenOptions = new io.drover.master.cli.ClientTokenOptions();

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Master address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7070", description = "Master port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--type", defaultValue = "echo", description = "Subtask type (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--subtasks", defaultValue = "1000", description = "Subtasks per job (default: ${DEFAULT-VALUE}).")
  int subtasks;

  @Option(names = "--payload-bytes", defaultValue = "64", description = "Payload per subtask (default: ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(names = "--concurrency", defaultValue = "4", description = "Jobs in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS", description = "Measured phase (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--warmup", defaultValue = "3", paramLabel = "SECONDS", description = "Warm-up, discarded (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  private final Recorder latency = new Recorder(3);
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile String firstFailure;

  @Override
  public Integer call() throws Exception {
    OptionErrors.checkAtLeast(spec, "--subtasks", subtasks, 1);
    OptionErrors.checkAtLeast(spec, "--concurrency", concurrency, 1);
    OptionErrors.checkAtLeast(spec, "--payload-bytes", payloadBytes, 0);
    if (!(duration > 0)) {
      throw OptionErrors.badValue(spec, "--duration", duration, "> 0");
    }
    if (!(warmup >= 0)) {
      throw OptionErrors.badValue(spec, "--warmup", warmup, ">= 0");
    }
    DroverClientBuilder clientBuilder =
        OptionErrors.fromSettings(
            spec,
            java.util.Map.of("maxInFlight", "--concurrency"),
            () ->
                DroverClient.builder()
                    .host(host)
                    .port(port)
                    .defaultTimeout(Duration.ofSeconds(60))
                    .maxInFlight(concurrency) // a job counts as one request
                    .tls(tlsOptions.toTls())
                    .token(tokenOptions.token()));
    Job.Builder builder = Job.builder(type);
    byte[] payload = new byte[payloadBytes];
    java.util.Arrays.fill(payload, (byte) 'x');
    for (int i = 0; i < subtasks; i++) {
      builder.add(payload);
    }
    Job job = builder.build();
    try (DroverClient client = clientBuilder.build()) {
      CountDownLatch loopsDone = new CountDownLatch(concurrency);
      for (int i = 0; i < concurrency; i++) {
        next(client, job, loopsDone);
      }
      Thread.sleep((long) (warmup * 1000));
      latency.getIntervalHistogram(); // discard the warm-up
      long startCount = completed.get();
      long start = System.nanoTime();
      measuring.set(true);
      Thread.sleep((long) (duration * 1000));
      measuring.set(false);
      long jobs = completed.get() - startCount;
      double seconds = (System.nanoTime() - start) / 1e9;
      Histogram h = latency.getIntervalHistogram();
      stopping.set(true);
      loopsDone.await(60, TimeUnit.SECONDS);
      report(jobs, seconds, h);
    }
    return failures.get() == 0 ? 0 : 1;
  }

  private void next(DroverClient client, Job job, CountDownLatch loopsDone) {
    if (stopping.get() || failures.get() > 0) {
      loopsDone.countDown();
      return;
    }
    long sent = System.nanoTime();
    CompletableFuture<JobOutcome> f = client.submitJob(job);
    f.whenComplete(
        (outcome, error) -> {
          long micros = (System.nanoTime() - sent) / 1000;
          if (error != null || !outcome.isOk() || outcome.subtasks().size() != subtasks) {
            failures.incrementAndGet();
            if (firstFailure == null) {
              firstFailure = error != null ? error.toString() : outcome.toString();
            }
          } else if (measuring.get()) {
            latency.recordValue(micros);
            completed.incrementAndGet();
          }
          // Next job from a pool thread, not the connection's event loop.
          CompletableFuture.runAsync(() -> next(client, job, loopsDone));
        });
  }

  private void report(long jobs, double seconds, Histogram h) throws Exception {
    double jobsPerS = jobs / seconds;
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("subtasks_per_job", subtasks);
    o.put("concurrency", concurrency);
    o.put("jobs", jobs);
    o.put("jobs_per_s", jobsPerS);
    o.put("subtasks_per_s", jobsPerS * subtasks);
    o.put("p50_us", h.getValueAtPercentile(50));
    o.put("p99_us", h.getValueAtPercentile(99));
    o.put("max_us", h.getMaxValue());
    o.put("failures", failures.get());
    if (firstFailure != null) {
      o.put("first_failure", firstFailure);
    }
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      System.out.printf(
          "%d jobs of %d subtasks in %.1f s: %.0f jobs/s, %.0f subtasks/s; job latency p50 %d µs, p99 %d µs, max %d µs; %d failures%n",
          jobs, subtasks, seconds, jobsPerS, jobsPerS * subtasks,
          h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), failures.get());
      if (firstFailure != null) {
        System.out.println("first failure: " + firstFailure);
      }
    }
  }
}
