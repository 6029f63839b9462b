package io.drover.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DroverClientBuilderTest {
  @Test
  void rejectsBadSettingsWithMessagesNamingThem() {
    DroverClientBuilder b = DroverClient.builder();
    assertThatThrownBy(() -> b.port(0)).hasMessage("port: 0 (expected: 1-65535)");
    assertThatThrownBy(() -> b.port(70000)).hasMessage("port: 70000 (expected: 1-65535)");
    assertThatThrownBy(() -> b.host("")).hasMessage("host: '' (expected: a host name or address)");
    assertThatThrownBy(() -> b.defaultTimeout(Duration.ofSeconds(-1)))
        .hasMessage("defaultTimeout: -1 s (expected: >= 0)");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
        .hasMessageStartingWith("connectTimeout: 0 s (expected: > 0");
    assertThatThrownBy(() -> b.maxFrameBytes(0)).hasMessage("maxFrameBytes: 0 (expected: > 0)");
    assertThatThrownBy(() -> b.eventLoops(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.maxInFlight(0)).hasMessage("maxInFlight: 0 (expected: > 0)");
    assertThatThrownBy(() -> b.maxBlock(Duration.ofMillis(-1)))
        .hasMessage("maxBlock: -1 ms (expected: >= 0)");
    assertThatThrownBy(() -> ClientEventLoops.create(0)).hasMessage("threads: 0 (expected: > 0)");
  }
}
