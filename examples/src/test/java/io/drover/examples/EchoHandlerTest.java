package io.drover.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoHandlerTest {
  private final EchoHandler handler = new EchoHandler();

  @Test
  void servesEcho() {
    assertThat(handler.taskType()).isEqualTo("echo");
  }

  @Test
  void returnsThePayloadUnchanged() {
    byte[] payload = {0, 1, 2, (byte) 0xFF};
    assertThat(handler.handle(new TestContext("echo"), payload)).containsExactly(payload);
  }

  @Test
  void returnsAnEmptyPayloadAsEmpty() {
    assertThat(handler.handle(new TestContext("echo"), new byte[0])).isEmpty();
  }
}
