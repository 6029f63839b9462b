package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverConnectionException;
import io.drover.client.TaskOptions;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.RawClient;
import io.drover.protocol.proto.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GOAWAY and clients that follow, with real master processes: a master stopped with SIGTERM tells
 * its clients to move on, and two masters started with {@code --reuse-port} on one port take over
 * each other's clients when one stops (SIGTERM) or dies (SIGKILL).
 */
class GoAwayIT {
  @TempDir Path tmp;
  private final List<Process> masters = new ArrayList<>();
  private final List<ProcessHandle> workers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process m : masters) {
      DroverScript.destroyWithDescendants(m);
    }
    workers.forEach(ProcessHandle::destroyForcibly);
  }

  private Process startMaster(String name, int port, String... extra) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                DroverScript.DROVER.toString(), "master", "--port", Integer.toString(port), "--workers", "1",
                "--admin-port", "0"));
    cmd.addAll(List.of(extra));
    Process p = DroverScript.startMaster(new ProcessBuilder(cmd), tmp.resolve(name + ".log"));
    masters.add(p);
    workers.addAll(p.descendants().toList());
    return p;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void afterSigtermTheOldConnectionGetsGoAwayRefusesNewRequestsAndStillAnswersTheOldOnes() throws Exception {
    int port = DroverScript.freePort();
    Process master = startMaster("master", port);
    try (RawClient raw = new RawClient(new InetSocketAddress("127.0.0.1", port))) {
      raw.submit(1, "sleep", ascii("3000"));
      raw.submit(2, "echo", ascii("hi"));
      // Answered on the same connection after request 1 was read: the master holds request 1.
      RawClient.Response echo = raw.read();
      assertThat(echo.requestId()).isEqualTo(2);
      assertThat(echo.status()).isEqualTo(Status.OK_VALUE);
      master.destroy(); // SIGTERM
      Map<Long, RawClient.Response> answers = new HashMap<>();
      RawClient.Response r;
      while ((r = raw.read()).requestId() != 0) {
        answers.put(r.requestId(), r);
      }
      assertThat(r.status()).as(r.message()).isEqualTo(Status.GOING_AWAY_VALUE);
      assertThat(r.message()).isEqualTo("the master is shutting down");
      raw.submit(3, "echo", ascii("late"));
      while (!answers.containsKey(1L) || !answers.containsKey(3L)) {
        r = raw.read();
        answers.put(r.requestId(), r);
      }
      assertThat(answers.get(3L).status()).as(answers.get(3L).message()).isEqualTo(Status.SHUTTING_DOWN_VALUE);
      assertThat(answers.get(3L).message()).contains("send the request on a new connection");
      assertThat(answers.get(1L).status()).as(answers.get(1L).message()).isEqualTo(Status.OK_VALUE);
      // Nothing left for this connection: the master closes it.
      assertThat(raw.closedByPeer()).isTrue();
    }
    assertThat(master.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(master.exitValue()).isZero();
  }

  /** A Java client loop with a window of tasks in flight; counts outcomes. */
  private static final class ClientLoop implements AutoCloseable {
    final AtomicInteger ok = new AtomicInteger();
    final ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private final DroverClient client;

    ClientLoop(int port) {
      client = DroverClient.builder().host("127.0.0.1").port(port).build();
      thread = new Thread(this::run, "client-loop");
      thread.start();
    }

    private void run() {
      Semaphore window = new Semaphore(32);
      List<CompletableFuture<?>> all = new ArrayList<>();
      try {
        while (!stop.get()) {
          window.acquire();
          all.add(
              client
                  .submit("sleep", ascii("5"))
                  .whenComplete(
                      (r, e) -> {
                        window.release();
                        if (e == null) {
                          ok.incrementAndGet();
                        } else {
                          failed.add(e);
                        }
                      }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((r, e) -> null).get(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        failed.add(e);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(TimeUnit.MINUTES.toMillis(3));
      client.close();
    }
  }

  @Test
  void twoReusePortMastersOneStoppedWithSigtermTheClientGoesOnThroughTheOtherWithoutAFailure() throws Exception {
    int port = DroverScript.freePort();
    Process first = startMaster("first", port, "--reuse-port");
    ClientLoop loop = new ClientLoop(port); // on the first master: the only one yet
    Process second = startMaster("second", port, "--reuse-port");
    try (loop) {
      await().atMost(Duration.ofMinutes(1)).until(() -> loop.ok.get() >= 200);
      first.destroy(); // SIGTERM
      assertThat(first.waitFor(2, TimeUnit.MINUTES)).as("the first master exited").isTrue();
      int atStop = loop.ok.get();
      await("tasks answered after the stop").atMost(Duration.ofMinutes(1)).until(() -> loop.ok.get() >= atStop + 500);
      assertThat(loop.client.reconnects()).isPositive();
    }
    assertThat(loop.failed).as("failed tasks").isEmpty();
    assertThat(first.exitValue()).isZero();
    assertThat(Files.readString(tmp.resolve("first.log"))).containsPattern("sent GOAWAY \\(the master is shutting down\\) to [1-9]");
    assertThat(second.isAlive()).isTrue();
  }

  @Test
  void aReusePortMasterKilledWithTasksInFlightRetryableOnesSucceedOnTheOtherNoRetryOnesFailClearly() throws Exception {
    int port = DroverScript.freePort();
    // Room on its one worker (capacity 16) for the 16 sleeps and the echo behind them: with the
    // adaptive limit at the capacity, the echo would wait in the master until the sleeps ended.
    Process first = startMaster("first", port, "--reuse-port", "--max-in-flight-per-worker", "64");
    List<ProcessHandle> firstWorkers = first.descendants().toList();
    try (DroverClient client = DroverClient.builder().host("127.0.0.1").port(port).build()) {
      startMaster("second", port, "--reuse-port");
      List<CompletableFuture<byte[]>> retryable = new ArrayList<>();
      List<CompletableFuture<byte[]>> noRetry = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        retryable.add(client.submit("sleep", ascii("3000")));
        noRetry.add(client.submit("sleep", ascii("3000"), TaskOptions.defaults().withNoRetry()));
      }
      // Answered after the sleeps were read, on the same connection: the first master holds them.
      assertThat(client.submit("echo", ascii("x")).get(1, TimeUnit.MINUTES)).isEqualTo(ascii("x"));
      first.destroyForcibly(); // SIGKILL
      firstWorkers.forEach(ProcessHandle::destroyForcibly);
      for (CompletableFuture<byte[]> f : retryable) {
        assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(ascii("3000"));
      }
      for (CompletableFuture<byte[]> f : noRetry) {
        assertThat(f)
            .failsWithin(Duration.ofMinutes(2))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause()
            .isInstanceOf(DroverConnectionException.class)
            .withMessageContaining("was lost")
            .withMessageContaining("not sent again because it is no_retry");
      }
      assertThat(client.submit("echo", ascii("after")).get(1, TimeUnit.MINUTES)).isEqualTo(ascii("after"));
    }
  }
}
