package io.drover.master.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link OpenFileLimit}: the warning when max-connections does not fit the open-file limit. */
class OpenFileLimitTest {
  @Test
  void connectionsThatFitWithTheReserveAreFine() {
    assertThat(OpenFileLimit.problem(10_000, 20_000)).isNull();
    assertThat(OpenFileLimit.problem(10_000, 10_000 + OpenFileLimit.RESERVED)).isNull();
    assertThat(OpenFileLimit.problem(10_000, -1)).as("a JVM that does not tell").isNull();
  }

  @Test
  void moreConnectionsThanTheLimitAllowsAreNamedWithTheFix() {
    assertThat(OpenFileLimit.problem(10_000, 4096))
        .startsWith("--max-connections 10000 is more than this process's open-file limit allows (4096,")
        .contains("past 3840 connections accepts fail instead of being refused")
        .contains("ulimit -n, LimitNOFILE=");
  }
}
