package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code drover status} where it fails: its one line and exit code, without a master. */
class StatusCommandTest {
  @Test
  void nothingAnsweringIsOneLineAndExitCode1() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again at once: nothing listens there
    }
    CliErrorsTest.Outcome o = CliErrorsTest.drover("status", "--admin", "127.0.0.1:" + port);
    assertThat(o.exitCode()).isEqualTo(1);
    assertThat(o.stdout()).isEmpty();
    assertThat(o.stderr())
        .isEqualTo(
            "drover status: nothing answers at 127.0.0.1:" + port
                + " (connection refused); is the master running with its admin endpoint?"
                + System.lineSeparator());
  }

  @Test
  void anAdminAddressWithoutAPortIsAUsageError() {
    for (String bad : new String[] {"foo", "127.0.0.1", ":7071", "127.0.0.1:x", "127.0.0.1:0", "::1:7071"}) {
      CliErrorsTest.Outcome o = CliErrorsTest.drover("status", "--admin", bad);
      assertThat(o.exitCode()).as(bad).isEqualTo(2);
      assertThat(o.stderr()).isEqualTo("drover status: --admin: " + bad + " (expected: HOST:PORT or https://HOST:PORT, such as 127.0.0.1:7071)" + System.lineSeparator());
    }
  }
}
