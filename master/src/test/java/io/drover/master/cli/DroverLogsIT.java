package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.DroverMaster;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.TestMasters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover logs}, run as a user runs it (a process of its own), against a real master whose
 * workers run the diagnostic {@code print} handler.
 */
class DroverLogsIT {
  /** One client for every request: one per request would leave idle connections to the admin port's limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern RAN_ON = Pattern.compile("worker=(\\d+) pid=(\\d+)");
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  @TempDir Path tmp;
  private DroverMaster master;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    if (master != null) {
      master.close();
    }
    for (Process p : processes) {
      DroverScript.destroyWithDescendants(p);
    }
  }

  /** Where a print task ran and what it printed. */
  record Printed(String marker, int worker, long pid) {}

  private static Printed print(DroverClient client) throws Exception {
    String marker = "marker-" + UUID.randomUUID();
    String answer = new String(client.submit("print", marker.getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS), StandardCharsets.US_ASCII);
    Matcher m = RAN_ON.matcher(answer);
    assertThat(m.matches()).as(answer).isTrue();
    return new Printed(marker, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
  }

  private String admin() {
    return "127.0.0.1:" + master.adminAddress().getPort();
  }

  /** Starts {@code drover args} and leaves it running, its stdout and stderr in the returned files. */
  private Path[] startDrover(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(DroverScript.DROVER.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    processes.add(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start());
    return new Path[] {out, err};
  }

  @Test
  void followingOneWorkerShowsTheLineItsHandlerPrintsWithItsIdAndPidAndEndsCleanlyWithTheMaster() throws Exception {
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).build());
    Path[] follower = startDrover("logs", "--admin", admin(), "-f", "--worker", "2", "--lines", "0");
    Process following = processes.get(0);
    List<Printed> printed = new ArrayList<>();
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      // --lines 0: only lines printed after the follower connected reach it; print until one of
      // worker 2's does.
      await("a line worker 2 printed, in the follower's output")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                printed.add(print(client));
                String out = Files.readString(follower[0]);
                return printed.stream().anyMatch(p -> p.worker() == 2 && out.contains(p.marker()));
              });
    }
    String out = Files.readString(follower[0]);
    for (Printed p : printed) {
      if (p.worker() == 2 && out.contains(p.marker())) {
        assertThat(out).containsPattern("(?m)^" + TIME + " \\[worker 2 pid " + p.pid() + "\\] " + p.marker() + "$");
      }
      if (p.worker() != 2) {
        assertThat(out).doesNotContain(p.marker());
      }
    }
    assertThat(out.lines()).allMatch(l -> l.matches(TIME + " \\[worker 2 pid \\d+( stderr)?\\] .*"), "every line is worker 2's");
    assertThat(following.isAlive()).isTrue();

    master.close();
    master = null;
    assertThat(following.waitFor(60, TimeUnit.SECONDS)).as("the follower exits when the master stops").isTrue();
    assertThat(following.exitValue()).as(Files.readString(follower[1])).isZero();
    assertThat(Files.readString(follower[1])).contains("drover logs: the master at 127.0.0.1:").contains("ended the log stream (it is shutting down)");
  }

  @Test
  void linesWorkerFilterTheMastersOwnLinesAndBadParameters() throws Exception {
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).build());
    List<Printed> printed = new ArrayList<>();
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      await("two prints on worker 1 and one on worker 2")
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                printed.add(print(client));
                return printed.stream().filter(p -> p.worker() == 1).count() >= 2 && printed.stream().anyMatch(p -> p.worker() == 2);
              });
    }
    Printed lastOnOne = printed.stream().filter(p -> p.worker() == 1).reduce((a, b) -> b).orElseThrow();
    // The pumps append a line as soon as they read it: wait until worker 1's last one is in.
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/logs?worker=1").body().contains(lastOnOne.marker()));

    DroverScript.Result one = DroverScript.run(tmp, "logs", "--admin", admin(), "--worker", "1", "--lines", "2");
    assertThat(one.exitCode()).as(one.stderr()).isZero();
    assertThat(one.stdout().lines()).hasSize(2).allMatch(l -> l.matches(TIME + " \\[worker 1 pid " + lastOnOne.pid() + "( stderr)?\\] .*"));
    assertThat(one.stdout()).contains(lastOnOne.marker());
    for (Printed p : printed) {
      if (p.worker() == 2) {
        assertThat(one.stdout()).doesNotContain(p.marker());
      }
    }

    DroverScript.Result all = DroverScript.run(tmp, "logs", "--admin", admin(), "--lines", "2000");
    assertThat(all.exitCode()).as(all.stderr()).isZero();
    for (Printed p : printed) {
      assertThat(all.stdout()).containsPattern("(?m)^" + TIME + " \\[worker " + p.worker() + " pid " + p.pid() + "\\] " + p.marker() + "$");
    }
    assertThat(all.stdout()).containsPattern("(?m)^" + TIME + " \\[master\\] INFO  .*DroverMaster - Drover master listening on ");

    DroverScript.Result own = DroverScript.run(tmp, "logs", "--admin", admin(), "--worker", "master", "--lines", "2000");
    assertThat(own.exitCode()).as(own.stderr()).isZero();
    assertThat(own.stdout()).contains("Drover master listening on").doesNotContain("marker-");
    assertThat(own.stdout().lines()).allMatch(l -> l.matches(TIME + " \\[master\\] [A-Z]+ +\\S.*"));

    assertThat(get("/logs?lines=abc")).isEqualTo(new Answer(400, "lines: abc (expected: an integer from 0 to 2000)\n"));
    assertThat(get("/logs?worker=0&follow=1")).isEqualTo(new Answer(400, "worker: 0 (expected: master, or a worker id from 1)\n"));
    assertThat(get("/logs?follow=yes")).isEqualTo(new Answer(400, "follow: yes (expected: 1 or 0)\n"));
    assertThat(get("/logs?lines=2").body().lines()).hasSize(2);

    DroverScript.Result tooMany = DroverScript.run(tmp, "logs", "--admin", admin(), "--lines", "5000");
    assertThat(tooMany.exitCode()).isEqualTo(1);
    assertThat(tooMany.stderr().strip())
        .isEqualTo("drover logs: " + admin() + "/logs?lines=5000 answered 400: lines: 5000 (expected: an integer from 0 to 2000)");
    DroverScript.Result badWorker = DroverScript.run(tmp, "logs", "--admin", admin(), "--worker", "two");
    assertThat(badWorker.exitCode()).isEqualTo(2);
    assertThat(badWorker.stderr().strip()).isEqualTo("drover logs: --worker: two (expected: a worker id from 1, or master)");
  }

  @Test
  void saysWhenNothingAnswersAndExitsNonZeroWhenTheMasterDies() throws Exception {
    int freeAdmin = DroverScript.freePort();
    DroverScript.Result nobody = DroverScript.run(tmp, "logs", "--admin", "127.0.0.1:" + freeAdmin, "-f");
    assertThat(nobody.exitCode()).isEqualTo(1);
    assertThat(nobody.stderr()).startsWith("drover logs: nothing answers at 127.0.0.1:" + freeAdmin + " (");

    Process m =
        DroverScript.startMaster(
            new ProcessBuilder(
                DroverScript.DROVER.toString(), "master", "--port", "0", "--admin-port", Integer.toString(freeAdmin), "--workers", "1"),
            tmp.resolve("master.log"));
    processes.add(m);
    Path[] follower = startDrover("logs", "--admin", "127.0.0.1:" + freeAdmin, "-f", "--worker", "master");
    Process following = processes.get(processes.size() - 1);
    await("the follower printed the master's last lines")
        .atMost(Duration.ofMinutes(1))
        .until(() -> Files.readString(follower[0]).contains("Drover master listening on"));
    List<ProcessHandle> workers = m.descendants().toList();
    m.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    workers.forEach(ProcessHandle::destroyForcibly);
    assertThat(following.waitFor(60, TimeUnit.SECONDS)).as("the follower exits when the master dies").isTrue();
    assertThat(following.exitValue()).isEqualTo(1);
    assertThat(Files.readString(follower[1])).startsWith("drover logs: lost the connection to 127.0.0.1:" + freeAdmin + " (");
  }

  /** A GET's status and body. */
  record Answer(int status, String body) {}

  private Answer get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP
            .send(HttpRequest.newBuilder(URI.create("http://" + admin() + path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }
}
