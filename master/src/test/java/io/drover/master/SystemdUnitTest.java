package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.SupervisionSettings;
import io.drover.master.testing.SystemdUnit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example systemd unit stops the master the way the master expects to be stopped. */
class SystemdUnitTest {
  /** The value of {@code --option N} in {@code command}, or null. */
  private static String option(String command, String name) {
    List<String> words = List.of(command.split("\\s+"));
    int i = words.indexOf(name);
    return i < 0 || i + 1 >= words.size() ? null : words.get(i + 1);
  }

  @Test
  void theUnitRunsTheMasterInTheForegroundAndRestartsItOnlyOnFailure() {
    Map<String, String> service = SystemdUnit.service();
    assertThat(service.get("Type")).as("the master sends READY=1, and MAINPID= after an upgrade").isEqualTo("notify");
    assertThat(service.get("NotifyAccess")).as("an upgraded master is not the process systemd started").isEqualTo("all");
    assertThat(service.get("ExecStart")).contains("scripts/drover master");
    assertThat(service.get("Restart")).isEqualTo("on-failure");
    assertThat(service.get("ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
  }

  @Test
  void stoppingSendsSigtermToTheMasterOnlyAndWaitsLongerThanItsLongestShutdown() {
    Map<String, String> service = SystemdUnit.service();
    assertThat(service.get("KillMode")).isEqualTo("mixed");
    assertThat(service.getOrDefault("KillSignal", "SIGTERM")).isEqualTo("SIGTERM");
    // The master's defaults, with whatever the unit's command line changes.
    String command = service.get("ExecStart");
    SupervisionSettings.Builder supervision = SupervisionSettings.builder();
    String killGrace = option(command, "--kill-grace");
    if (killGrace != null) {
      supervision.killGrace(Duration.ofMillis((long) (Double.parseDouble(killGrace) * 1000)));
    }
    var config = MasterConfig.builder().workerClasspath(List.of()).supervision(supervision.build());
    String shutdownTimeout = option(command, "--shutdown-timeout");
    if (shutdownTimeout != null) {
      config.shutdownTimeout(Duration.ofSeconds(Long.parseLong(shutdownTimeout)));
    }
    assertThat(SystemdUnit.timeoutStopSec()).isGreaterThan(DroverMaster.longestShutdown(config.build()));
  }

  @Test
  void aUnitBoundBeyondLoopbackServesTlsAndTenantsAndRunsHardened() {
    Map<String, String> service = SystemdUnit.service();
    String command = service.get("ExecStart");
    String host = option(command, "--host");
    if (host != null && !host.startsWith("127.") && !host.equals("localhost") && !host.equals("::1")) {
      // Without either, the master refuses to start (AuthSettings): the example must not.
      assertThat(command).containsAnyOf("--tenants ", "--auth none");
      assertThat(command).contains("--tls-cert ").contains("--tls-key ");
    }
    assertThat(service).containsEntry("NoNewPrivileges", "yes").containsEntry("PrivateTmp", "yes").containsEntry("ProtectSystem", "strict");
  }

  @Test
  void systemdTimeSpansAreReadInTheirUnits() {
    assertThat(SystemdUnit.timeSpan("60")).isEqualTo(Duration.ofSeconds(60));
    assertThat(SystemdUnit.timeSpan("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(SystemdUnit.timeSpan("1min 30s")).isEqualTo(Duration.ofSeconds(90));
  }
}
