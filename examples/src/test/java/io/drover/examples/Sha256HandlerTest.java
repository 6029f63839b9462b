package io.drover.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256HandlerTest {
  private final Sha256Handler handler = new Sha256Handler();

  private String hash(String input) throws Exception {
    byte[] out = handler.handle(new TestContext("sha256"), input.getBytes(StandardCharsets.UTF_8));
    return new String(out, StandardCharsets.US_ASCII);
  }

  @Test
  void servesSha256() {
    assertThat(handler.taskType()).isEqualTo("sha256");
  }

  @Test
  void hashesTheEmptyPayload() throws Exception {
    assertThat(hash(""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void hashesAbcAsLowerCaseHex() throws Exception {
    assertThat(hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
