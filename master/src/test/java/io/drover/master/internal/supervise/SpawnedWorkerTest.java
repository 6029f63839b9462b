package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpawnedWorkerTest {
  @Test
  void aRegistrationClaimedFirstMakesTheStartTimeoutDoNothing() {
    SpawnedWorker w = new SpawnedWorker(3, null);
    assertThat(w.register()).isNull();
    assertThat(w.timeOut()).isFalse();
  }

  @Test
  void aStartTimeoutClaimedFirstRefusesTheRegistration() {
    SpawnedWorker w = new SpawnedWorker(3, null);
    assertThat(w.timeOut()).isTrue();
    assertThat(w.register()).isEqualTo("it did not register within the start timeout");
  }

  @Test
  void aProcessRegistersOnce() {
    SpawnedWorker w = new SpawnedWorker(3, null);
    assertThat(w.register()).isNull();
    assertThat(w.register()).isEqualTo("it has registered already");
  }
}
