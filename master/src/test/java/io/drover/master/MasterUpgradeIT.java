package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.internal.upgrade.ProcessCommandLine;
import io.drover.master.internal.upgrade.UpgradeException;
import io.drover.master.testing.TestMasters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade whose new master never becomes ready, or exits, is called off and the master serves
 * on; the successor is a stand-in process here, so that it surely never gets ready.
 */
class MasterUpgradeIT {
  @TempDir Path tmp;

  private static String echo(DroverMaster master, String text) throws Exception {
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      return new String(client.submit("echo", text.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }
  }

  private static Throwable failure(CompletableFuture<String> f) throws InterruptedException {
    try {
      f.get(1, TimeUnit.MINUTES);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no outcome", e);
    }
  }

  @Test
  void aSuccessorNotReadyInTimeIsStoppedAndOneThatExitsIsReported() throws Exception {
    try (DroverMaster master = TestMasters.start(1)) {
      assertThat(master.upgradeStatus()).isNull();
      Path pidFile = tmp.resolve("successor.pid");
      master.enableUpgrades(ProcessCommandLine.of(List.of("sh", "-c", "echo $$ > " + pidFile + " && exec sleep 600")));

      String begun = master.upgrade(null, Duration.ofSeconds(1)).toCompletableFuture().get(1, TimeUnit.MINUTES);
      assertThat(begun).startsWith("upgrading: master pid " + ProcessHandle.current().pid() + " started pid ");
      await().atMost(Duration.ofMinutes(1)).until(() -> master.upgradeStatus().startsWith("upgrade failed"));
      assertThat(master.upgradeStatus()).contains("was not ready within").endsWith("serves on");
      long successor = Long.parseLong(Files.readString(pidFile).strip());
      await("the successor stopped").atMost(Duration.ofMinutes(1)).until(() -> ProcessHandle.of(successor).map(p -> !p.isAlive()).orElse(true));
      assertThat(echo(master, "still here")).isEqualTo("still here");

      // A successor that exits at once: reported with its exit code; the next upgrade may begin.
      master.enableUpgrades(ProcessCommandLine.of(List.of("sh", "-c", "exit 3")));
      master.upgrade(null, Duration.ofMinutes(1)).toCompletableFuture().get(1, TimeUnit.MINUTES);
      await().atMost(Duration.ofMinutes(1)).until(() -> master.upgradeStatus().startsWith("upgrade failed"));
      assertThat(master.upgradeStatus()).contains("exited before it was ready (exit code 3");
      assertThat(echo(master, "and here")).isEqualTo("and here");
    }
  }

  @Test
  void oneUpgradeAtATimeAndNoneForAnEmbeddedMaster() throws Exception {
    try (DroverMaster master = TestMasters.start(1)) {
      Throwable embedded = failure(master.upgrade(null, Duration.ofSeconds(30)).toCompletableFuture());
      assertThat(embedded).isInstanceOf(UpgradeException.class).hasMessageContaining("not started by drover master");

      Path pidFile = tmp.resolve("successor.pid");
      master.enableUpgrades(ProcessCommandLine.of(List.of("sh", "-c", "echo $$ > " + pidFile + " && exec sleep 600")));
      Throwable noJar = failure(master.upgrade(tmp.resolve("missing.jar"), Duration.ofMinutes(5)).toCompletableFuture());
      assertThat(noJar).isInstanceOf(UpgradeException.class).hasMessageEndingWith("missing.jar is not a readable file");
      assertThat(((UpgradeException) noJar).kind()).isEqualTo(UpgradeException.Kind.BAD_REQUEST);

      master.upgrade(null, Duration.ofMinutes(5)).toCompletableFuture().get(1, TimeUnit.MINUTES);
      Throwable second = failure(master.upgrade(null, Duration.ofMinutes(5)).toCompletableFuture());
      assertThat(second).isInstanceOf(UpgradeException.class).hasMessage("an upgrade is in progress already");
      assertThat(((UpgradeException) second).kind()).isEqualTo(UpgradeException.Kind.CONFLICT);
      await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
      long successor = Long.parseLong(Files.readString(pidFile).strip());
      assertThat(ProcessHandle.of(successor)).isPresent();
      // Stopping the master while its successor starts stops the successor: nothing is left behind.
      master.close();
      assertThat(ProcessHandle.of(successor).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(master.upgradeStatus()).startsWith("upgrade failed: the master is shutting down");
    }
  }
}
