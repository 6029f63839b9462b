package io.drover.master.internal.supervise;

import io.drover.master.internal.logging.LogRing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one stream of a worker process into the master's log, a line at a time, prefixed with
 * the worker's id and pid, and into the master's {@link LogRing} for {@code drover logs}; and
 * remembers the last lines for crash reports.
 */
final class ProcessOutputPump implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LogRing.WORKER_OUTPUT_LOGGER);
  private static final int KEPT_LINES = 20;

  private final InputStream stream;
  private final String prefix;
  private final boolean stderr;
  private final ArrayDeque<String> lastLines = new ArrayDeque<>(KEPT_LINES);
  private final RotatingLogFile file;
  private final LogRing ring;
  private final int workerId;
  private final long pid;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  ProcessOutputPump(InputStream stream, int workerId, long pid, boolean stderr, RotatingLogFile file, LogRing ring) {
    this.stream = stream;
    this.workerId = workerId;
    this.pid = pid;
    this.ring = ring;
    this.prefix = "[worker " + workerId + " pid " + pid + (stderr ? " stderr] " : "] ");
    this.stderr = stderr;
    this.file = file;
  }

  /**
   * Starts pumping on a daemon thread; lines also go to {@code ring}, and to {@code file} when it
   * is not null.
   */
  static ProcessOutputPump start(
      InputStream stream, int workerId, long pid, boolean stderr, RotatingLogFile file, LogRing ring) {
    ProcessOutputPump pump = new ProcessOutputPump(stream, workerId, pid, stderr, file, ring);
    Thread t = new Thread(pump, "drover-worker-" + workerId + (stderr ? "-stderr" : "-stdout"));
    t.setDaemon(true);
    t.start();
    return pump;
  }

  @Override
  public void run() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        remember(line);
        ring.appendWorkerLine(workerId, pid, stderr, line);
        if (file != null) {
          file.append(prefix + line);
        }
        if (stderr) {
          log.warn("{}{}", prefix, line);
        } else {
          log.info("{}{}", prefix, line);
        }
      }
    } catch (IOException e) {
      log.debug("{}output closed: {}", prefix, e.toString());
    } finally {
      ended.complete(null);
    }
  }

  /**
   * Completes once the stream has been read to its end, or after {@code atMost} (a process the
   * worker started may keep the stream open after the worker has exited).
   */
  CompletableFuture<Void> ended(Duration atMost) {
    return ended.copy().completeOnTimeout(null, atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void remember(String line) {
    if (lastLines.size() == KEPT_LINES) {
      lastLines.removeFirst();
    }
    lastLines.addLast(line);
  }

  /** The last lines seen, oldest first. */
  synchronized List<String> lastLines() {
    return List.copyOf(lastLines);
  }
}
