package io.drover.master.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.DroverMaster;
import io.drover.master.config.AutoscaleSettings;
import io.drover.master.testing.SteadyLoad;
import io.drover.master.testing.TestMasters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Autoscaling a real master's pool of real worker JVMs. */
class AutoscaleIT {
  private DroverMaster master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void aBurstScalesUpToMaxAndIdlenessBackToMinWithoutFlapping() throws Exception {
    AutoscaleSettings autoscale =
        new AutoscaleSettings(1, 4, 0.8, 0, Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(2));
    master = DroverMaster.start(TestMasters.config(1).workerCapacity(2).autoscale(autoscale).build());
    assertThat(master.poolSize()).isEqualTo(1);
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      SteadyLoad burst = SteadyLoad.start(client, "sleep", "50".getBytes(StandardCharsets.US_ASCII), 32);
      try {
        await("scaled up to 4").atMost(Duration.ofMinutes(2)).until(() -> master.workers().size() == 4);
        assertThat(master.poolSize()).isEqualTo(4);
      } finally {
        burst.close();
      }
      assertThat(burst.failures()).isEmpty();
    }
    await("idle: back to 1").atMost(Duration.ofMinutes(2)).until(() -> master.poolSize() == 1 && master.workerPids().size() == 1);
    // One decision up (the burst wants far more than 4 at once), one down: nothing in between.
    assertThat(master.autoscaleDecisions()).isEqualTo(2);
    assertThat(master.lastAutoscaleDecision()).startsWith("4 -> 1 workers: load 0.00 per unit of capacity (target 0.80), fewer workers wanted for 4 s");
  }
}
