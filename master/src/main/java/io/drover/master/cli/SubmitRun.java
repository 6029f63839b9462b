package io.drover.master.cli;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Submits one task {@code count} times with at most {@code concurrency} in flight and tallies the outcomes. */
final class SubmitRun {
  /**
   * What a run did.
   *
   * @param submitted tasks sent
   * @param ok tasks that succeeded
   * @param failed tasks that failed
   * @param statuses status name to count
   * @param elapsedSeconds wall time from first submission to last result
   * @param firstResult the first successful result's bytes
   * @param firstError the first failure
   */
  record Summary(
      long submitted,
      long ok,
      long failed,
      Map<String, Long> statuses,
      double elapsedSeconds,
      byte[] firstResult,
      Throwable firstError) {
    double tasksPerSecond() {
      return elapsedSeconds > 0 ? submitted / elapsedSeconds : 0;
    }
  }

  private final DroverClient client;
  private final String type;
  private final byte[] payload;
  private final io.drover.client.TaskOptions options;
  private final long count;
  private final int concurrency;
  private final LongAdder ok = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final AtomicReference<byte[]> firstResult = new AtomicReference<>();
  private final AtomicReference<Throwable> firstError = new AtomicReference<>();

  SubmitRun(
      DroverClient client,
      String type,
      byte[] payload,
      io.drover.client.TaskOptions options,
      long count,
      int concurrency) {
    this.client = client;
    this.type = type;
    this.payload = payload;
    this.options = options;
    this.count = count;
    this.concurrency = concurrency;
  }

  Summary execute() throws InterruptedException {
    Semaphore window = new Semaphore(concurrency);
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      window.acquire();
      client
          .submit(type, payload, options)
          .whenComplete(
              (result, error) -> {
                record(result, error);
                window.release();
              });
    }
    window.acquire(concurrency);
    double elapsed = (System.nanoTime() - start) / 1e9;
    Map<String, Long> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
    return new Summary(
        count, ok.sum(), failed.sum(), byStatus, elapsed, firstResult.get(), firstError.get());
  }

  private void record(byte[] result, Throwable error) {
    String status;
    if (error == null) {
      ok.increment();
      firstResult.compareAndSet(null, result);
      status = "OK";
    } else {
      failed.increment();
      firstError.compareAndSet(null, error);
      Throwable cause = error.getCause() != null && !(error instanceof DroverTaskException) ? error.getCause() : error;
      status = cause instanceof DroverTaskException e ? e.status().name() : "CLIENT_ERROR";
    }
    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
  }
}
