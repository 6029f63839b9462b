package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.master.testing.DroverScript;
import io.drover.master.testing.DroverScript.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour, run for real through {@code scripts/drover}: a master process with its
 * worker JVMs, {@code submit} in text and JSON modes, and a clean stop on SIGTERM.
 */
class LauncherIT {
  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stopMaster() throws InterruptedException {
    DroverScript.destroyWithDescendants(master);
  }

  private Result drover(String... args) throws IOException, InterruptedException {
    return DroverScript.run(tmp, args);
  }

  @Test
  void masterStartsSubmitPrintsResultsAndSigtermStopsEverythingWithExitCodeZero() throws Exception {
    int port = DroverScript.freePort();
    Path log = tmp.resolve("master.log");
    master =
        DroverScript.startMaster(
            new ProcessBuilder(DroverScript.DROVER.toString(), "master", "--port", Integer.toString(port), "--workers", "2"),
            log);
    List<ProcessHandle> workers = master.descendants().toList();
    assertThat(workers).hasSize(2);

    Result one = drover("submit", "--port", Integer.toString(port), "--type", "echo", "--payload", "hello");
    assertThat(one.exitCode()).as(one.stderr()).isZero();
    assertThat(one.stdout().trim()).isEqualTo("hello");

    Result many =
        drover("submit", "--port", Integer.toString(port), "--type", "sha256", "--payload", "abc",
            "--count", "2000", "--concurrency", "64", "--json");
    assertThat(many.exitCode()).as(many.stderr()).isZero();
    JsonNode json = new ObjectMapper().readTree(many.stdout());
    assertThat(json.get("submitted").asLong()).isEqualTo(2000);
    assertThat(json.get("ok").asLong()).isEqualTo(2000);
    assertThat(json.get("failed").asLong()).isZero();
    assertThat(json.get("statuses").get("OK").asLong()).isEqualTo(2000);
    assertThat(json.get("tasks_per_s").asDouble()).isPositive();

    Result unknown = drover("submit", "--port", Integer.toString(port), "--type", "nope", "--payload", "x");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("UNKNOWN_TASK_TYPE").contains("nope");

    Result failing =
        drover("submit", "--port", Integer.toString(port), "--type", "sleep", "--payload", "abc",
            "--count", "3", "--json");
    assertThat(failing.exitCode()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(failing.stdout()).get("statuses").get("HANDLER_ERROR").asLong())
        .isEqualTo(3);

    Path book = tmp.resolve("book.txt");
    Files.writeString(book, "the quick brown fox\n\njumps over\nthe lazy dog\n");
    Result wordCount =
        drover("job", "--port", Integer.toString(port), "--type", "wordcount", "--lines", book.toString(),
            "--reduce", "sum");
    assertThat(wordCount.exitCode()).as(wordCount.stderr()).isZero();
    assertThat(wordCount.stdout()).contains("reduce OK 9").contains("job OK: 3 subtasks, 3 ok, 0 failed");

    Result jobJson =
        drover("job", "--port", Integer.toString(port), "--type", "echo", "--payload", "a", "--payload", "b",
            "--repeat", "2", "--json");
    assertThat(jobJson.exitCode()).as(jobJson.stderr()).isZero();
    JsonNode job = new ObjectMapper().readTree(jobJson.stdout());
    assertThat(job.get("status").asText()).isEqualTo("OK");
    assertThat(job.get("subtasks")).hasSize(4);
    assertThat(job.get("subtasks").get(2).get("body").asText()).isEqualTo("a");
    assertThat(job.get("subtasks").get(3).get("body").asText()).isEqualTo("b");

    Result jobFailing =
        drover("job", "--port", Integer.toString(port), "--type", "sleep", "--payload", "5", "--payload", "abc",
            "--stream");
    assertThat(jobFailing.exitCode()).isEqualTo(1);
    assertThat(jobFailing.stdout())
        .contains("#0 OK 5")
        .contains("#1 HANDLER_ERROR")
        .contains("job SUBTASK_FAILED: 2 subtasks, 1 ok, 1 failed");

    master.destroy(); // SIGTERM
    assertThat(master.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(master.exitValue()).as(Files.readString(log)).isZero();
    await("workers gone").atMost(Duration.ofSeconds(60)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(Files.readString(log)).contains("Drover master stopped");
  }
}
