package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's full check of a traceparent and the ids taken out of one. */
class TraceparentTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void theSpecificationsExampleIsValidAndItsIdsAreRead() {
    assertThat(Traceparent.isWellFormed(VALID)).isTrue();
    assertThat(Traceparent.traceId(VALID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(Traceparent.spanId(VALID)).isEqualTo("00f067aa0ba902b7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-"
      })
  void anythingElseIsNot(String value) {
    assertThat(Traceparent.isWellFormed(value)).isFalse();
  }

  @Test
  void ofBuildsAValidTraceparentOrSaysWhatIsExpected() {
    assertThat(Traceparent.of("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1)).isEqualTo(VALID);
    assertThatThrownBy(() -> Traceparent.of("abc", "00f067aa0ba902b7", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: 00-<32 lowercase hex trace id>");
  }
}
