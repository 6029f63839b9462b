package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.testing.DroverScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover reload}, {@code scale} and {@code restart} as processes, against a real master. */
class ControlCliIT {
  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stop() throws InterruptedException {
    DroverScript.destroyWithDescendants(master);
  }

  private List<Long> workers() {
    return master.descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).sorted().toList();
  }

  @Test
  void scaleReloadAndRestartAMasterAndSayWhyWhenRefused() throws Exception {
    Path config = tmp.resolve("drover.yaml");
    Files.writeString(config, "workers: 1\nport: 0\nadmin-port: 0\n");
    Path log = tmp.resolve("master.log");
    master = DroverScript.startMasterWithConfig(config, log);
    String admin = DroverScript.adminAddress(log);

    DroverScript.Result scaled = DroverScript.run(tmp, "scale", "+1", "--wait", "--admin", admin);
    assertThat(scaled.exitCode()).as(scaled.stderr()).isZero();
    assertThat(scaled.stdout()).isEqualTo("scaling up from 1 to 2 workers: starting worker 2\n2 workers ready\n");
    assertThat(workers()).hasSize(2);

    Files.writeString(config, "workers: 2\nport: 0\nadmin-port: 0\nscheduler: p2c\n");
    DroverScript.Result reloaded = DroverScript.run(tmp, "reload", "--admin", admin);
    assertThat(reloaded.exitCode()).as(reloaded.stderr()).isZero();
    assertThat(reloaded.stdout()).isEqualTo("reloaded (generation 2): scheduler: least-loaded -> p2c\n");

    Files.writeString(config, "workers: 2\nschedulr: p2c\n");
    DroverScript.Result refused = DroverScript.run(tmp, "reload", "--admin", admin);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr())
        .isEqualTo("drover reload: reload refused, settings unchanged (generation 2): " + config + ":2: schedulr is not a setting (did you mean scheduler?)\n");

    List<Long> before = workers();
    DroverScript.Result restarted = DroverScript.run(tmp, "restart", "--admin", admin);
    assertThat(restarted.exitCode()).as(restarted.stderr()).isZero();
    assertThat(restarted.stdout().lines().toList()).last().isEqualTo("rolling restart done (drover restart): 2 of 2 workers replaced");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2)).until(() -> workers().stream().noneMatch(before::contains));

    Path wrong = tmp.resolve("wrong.token");
    Files.writeString(wrong, "not-it\n");
    DroverScript.Result denied = DroverScript.run(tmp, "scale", "3", "--admin", admin, "--token-file", wrong.toString());
    assertThat(denied.exitCode()).isEqualTo(1);
    assertThat(denied.stderr()).isEqualTo("drover scale: " + admin + " refused the admin token (403): wrong admin token: nothing was done\n");
    assertThat(workers()).hasSize(2);

    DroverScript.Result badCount = DroverScript.run(tmp, "scale", "lots", "--admin", admin);
    assertThat(badCount.exitCode()).isEqualTo(2);
    assertThat(badCount.stderr()).isEqualTo("drover scale: N|+K|-K: lots (expected: a count such as 4, +2 or -1)\n");
  }

  @Test
  void aVerbSaysSoWhenNoMasterAnswers() throws Exception {
    int port = DroverScript.freePort();
    DroverScript.Result r = DroverScript.run(tmp, "reload", "--admin", "127.0.0.1:" + port);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("drover reload: nothing answers at 127.0.0.1:" + port);
  }
}
