package io.drover.master.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskTypeBitsTest {
  @Test
  void holdsTheIdsAddedAcrossWordsAndNoOthers() {
    TaskTypeBits bits = new TaskTypeBits();
    bits.add(0);
    bits.add(63);
    bits.add(64);
    bits.add(1000);
    assertThat(bits.contains(0)).isTrue();
    assertThat(bits.contains(63)).isTrue();
    assertThat(bits.contains(64)).isTrue();
    assertThat(bits.contains(1000)).isTrue();
    assertThat(bits.contains(1)).isFalse();
    assertThat(bits.contains(65)).isFalse();
    assertThat(bits.contains(999)).isFalse();
    assertThat(bits.contains(100_000)).as("beyond its words").isFalse();
    assertThat(bits.contains(-1)).isFalse();
    assertThatThrownBy(() -> bits.add(-1)).hasMessage("id: -1 (expected: >= 0)");
  }
}
