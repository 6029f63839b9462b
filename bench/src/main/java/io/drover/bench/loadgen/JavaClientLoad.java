package io.drover.bench.loadgen;

import io.drover.client.ClientEventLoops;
import io.drover.client.DroverBackpressureException;
import io.drover.client.DroverClient;
import io.drover.client.DroverClientBuilder;
import io.drover.client.DroverConnectionException;
import io.drover.client.DroverTaskException;
import io.drover.client.DroverTls;
import io.drover.client.TaskStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code drover bench --client java}: the closed loop of {@link LoadGenerator}, driven through the
 * real {@link DroverClient} the way user code drives it. Each connection is one client with one
 * submitting thread, which takes a permit of its own semaphore ({@code --concurrency} permits)
 * before each {@code submit} and gives it back in the future's {@code whenComplete}, where the
 * reply is counted. The clients share one I/O thread, as the load generator's connections do, so
 * the two are compared thread for thread on the I/O side; the submitting threads are what user
 * code adds.
 */
public final class JavaClientLoad {
  private final LoadSettings settings;
  private final DroverTls tls;
  private final String token;
  /**
   * Shared by the I/O thread (replies) and the submitting threads (tasks failed before they were
   * sent), and the timer (window edges): a lock nobody else contends for costs a few nanoseconds.
   */
  private final LoadRecorder recorder = new LoadRecorder();
  private final List<String> connectionFailures = new ArrayList<>();
  private volatile boolean sending = true;
  /** The I/O thread, seen by its first callback; its CPU time is the report's loop CPU. */
  private volatile Thread ioThread;

  /** A run with {@code settings} (closed loop only), over TLS as {@code tls} says (null: plaintext). */
  public JavaClientLoad(LoadSettings settings, DroverTls tls, String token) {
    if (settings.openLoop() || settings.expectEchoFrames()) {
      throw new IllegalArgumentException("--client java: closed loop against a master only (no --rate, no --expect-echo-frames)");
    }
    this.settings = settings;
    this.tls = tls;
    this.token = token;
  }

  /** Runs the whole benchmark and returns its report. */
  public LoadReport run() throws InterruptedException {
    byte[] payload = new byte[settings.payloadBytes()];
    java.util.Arrays.fill(payload, (byte) 'x');
    long windowNanos = seconds(settings.durationSeconds());
    try (ClientEventLoops loops = ClientEventLoops.create(1)) {
      List<DroverClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < settings.connections(); i++) {
          clients.add(connect(loops));
        }
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
          Sender sender = new Sender(clients.get(i), payload, i);
          senders.add(sender);
          sender.thread.start();
        }
        TimeUnit.NANOSECONDS.sleep(seconds(settings.warmupSeconds()));
        long loopCpuStart;
        long processCpuStart;
        synchronized (recorder) {
          recorder.startWindow(System.nanoTime());
          loopCpuStart = ioCpuTime();
          processCpuStart = processCpuTime();
        }
        TimeUnit.NANOSECONDS.sleep(windowNanos);
        long loopCpu;
        long processCpu;
        synchronized (recorder) {
          recorder.endWindow(System.nanoTime());
          loopCpu = ioCpuTime() - loopCpuStart;
          processCpu = processCpuTime() - processCpuStart;
        }
        sending = false;
        // The tasks still in flight finish or time out within the client's timeout.
        long drainDeadline = System.nanoTime() + seconds(settings.timeoutSeconds()) + TimeUnit.SECONDS.toNanos(5);
        for (Sender sender : senders) {
          sender.thread.interrupt(); // one waiting for a permit stops waiting
          sender.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainDeadline - System.nanoTime())));
          sender.awaitDrained(drainDeadline);
        }
        synchronized (recorder) {
          return LoadReport.of(settings, recorder, List.copyOf(connectionFailures), 0, loopCpu, processCpu);
        }
      } finally {
        clients.forEach(DroverClient::close);
      }
    }
  }

  private DroverClient connect(ClientEventLoops loops) {
    DroverClientBuilder builder =
        DroverClient.builder()
            .host(settings.host())
            .port(settings.port())
            .eventLoops(loops)
            .defaultTimeout(Duration.ofNanos(seconds(settings.timeoutSeconds())))
            .tls(tls)
            .token(token);
    // The semaphore bounds what is in flight; the client's own bound must not be the lower one.
    builder.maxInFlight(Math.max(settings.concurrency(), 10_000));
    try {
      return builder.build();
    } catch (DroverConnectionException e) {
      throw new LoadGeneratorException(e.getMessage(), e);
    }
  }

  /** One connection's submitting thread and its semaphore. */
  private final class Sender implements Runnable {
    final DroverClient client;
    final byte[] payload;
    final Semaphore permits = new Semaphore(settings.concurrency());
    final Thread thread;

    Sender(DroverClient client, byte[] payload, int index) {
      this.client = client;
      this.payload = payload;
      this.thread = new Thread(this, "drover-bench-submit-" + index);
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      String type = settings.taskType();
      try {
        while (sending) {
          permits.acquire();
          if (!sending) {
            permits.release();
            return;
          }
          long sent = System.nanoTime();
          client.submit(type, payload).whenComplete((result, failure) -> {
            completed(sent, failure);
            permits.release();
          });
        }
      } catch (InterruptedException e) {
        // The window ended.
      }
    }

    /** Waits until every permit is back (nothing in flight) or {@code deadline} passes. */
    void awaitDrained(long deadline) throws InterruptedException {
      long left = deadline - System.nanoTime();
      if (permits.tryAcquire(settings.concurrency(), Math.max(0, left), TimeUnit.NANOSECONDS)) {
        permits.release(settings.concurrency());
      }
    }
  }

  private void completed(long sentNanos, Throwable failure) {
    long now = System.nanoTime();
    if (ioThread == null && failure == null) {
      ioThread = Thread.currentThread();
    }
    synchronized (recorder) {
      if (failure == null) {
        recorder.onReply(sentNanos, now, 0);
      } else {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DroverTaskException e) {
          if (e.status() == TaskStatus.DEADLINE_EXCEEDED) {
            recorder.onLost(sentNanos, LoadRecorder.CLIENT_TIMEOUT);
          } else {
            recorder.onReply(sentNanos, now, e.status().wireNumber());
          }
        } else if (cause instanceof DroverBackpressureException) {
          recorder.onLost(sentNanos, "CLIENT_BACKPRESSURE");
        } else {
          recorder.onLost(sentNanos, LoadRecorder.CONNECTION_LOST);
        }
      }
    }
  }

  private long ioCpuTime() {
    Thread t = ioThread;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return t == null ? 0 : Math.max(0, threads.getThreadCpuTime(t.getId()));
  }

  private static long seconds(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static long processCpuTime() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
