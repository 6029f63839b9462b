package io.drover.bench.fuzz;

import io.drover.client.DroverClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The well-behaved client beside a fuzzing run: echo tasks through the Java client, a bounded
 * number in flight, every result compared with its payload. Every one must succeed.
 */
final class Bystander implements AutoCloseable {
  private final DroverClient client;
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final Thread thread = new Thread(this::run, "fuzz-bystander");
  private volatile boolean running = true;

  Bystander(DroverClient client, int maxInFlight) {
    this.client = client;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
  }

  void start() {
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long n = 0;
    while (running) {
      try {
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      byte[] payload = ("bystander-" + n++).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      java.util.concurrent.CompletableFuture<byte[]> answer;
      try {
        answer = client.submit("echo", payload);
      } catch (RuntimeException e) {
        failed.increment();
        firstFailure.compareAndSet(null, e.toString());
        inFlight.release();
        continue;
      }
      answer
          .whenComplete(
              (result, error) -> {
                if (error == null && Arrays.equals(result, payload)) {
                  succeeded.increment();
                } else {
                  failed.increment();
                  firstFailure.compareAndSet(null, error != null ? error.toString() : "an echo answered with other bytes");
                }
                inFlight.release();
              });
    }
  }

  /** Stops submitting and waits for what is in flight. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
    if (!inFlight.tryAcquire(maxInFlight, 5, TimeUnit.MINUTES)) {
      failed.increment();
      firstFailure.compareAndSet(null, "tasks still unanswered 5 minutes after the run");
    }
    client.close();
  }

  long succeeded() {
    return succeeded.sum();
  }

  long failed() {
    return failed.sum();
  }

  String firstFailure() {
    return firstFailure.get();
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("succeeded", succeeded());
    map.put("failed", failed());
    map.put("first_failure", firstFailure());
    return map;
  }
}
