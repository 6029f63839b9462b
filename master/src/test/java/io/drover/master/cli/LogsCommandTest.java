package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code drover logs} where it fails: its one line and exit code, without a master. */
class LogsCommandTest {
  @Test
  void nothingAnsweringIsOneLineAndExitCode1WithOrWithoutFollow() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again at once: nothing listens there
    }
    for (String[] args : new String[][] {{"logs", "--admin", "127.0.0.1:" + port}, {"logs", "-f", "--admin", "127.0.0.1:" + port}}) {
      CliErrorsTest.Outcome o = CliErrorsTest.drover(args);
      assertThat(o.exitCode()).isEqualTo(1);
      assertThat(o.stdout()).isEmpty();
      assertThat(o.stderr())
          .isEqualTo(
              "drover logs: nothing answers at 127.0.0.1:" + port
                  + " (connection refused); is the master running with its admin endpoint?"
                  + System.lineSeparator());
    }
  }

  @Test
  void aBadWorkerOrLineCountIsAUsageError() {
    for (String bad : new String[] {"0", "-1", "two", "01", "master2"}) {
      CliErrorsTest.Outcome o = CliErrorsTest.drover("logs", "--worker", bad);
      assertThat(o.exitCode()).as(bad).isEqualTo(2);
      assertThat(o.stderr()).isEqualTo("drover logs: --worker: " + bad + " (expected: a worker id from 1, or master)" + System.lineSeparator());
    }
    CliErrorsTest.Outcome negative = CliErrorsTest.drover("logs", "--lines", "-5");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.stderr()).isEqualTo("drover logs: --lines: -5 (expected: an integer >= 0)" + System.lineSeparator());
    CliErrorsTest.Outcome notANumber = CliErrorsTest.drover("logs", "-n", "many");
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.stderr()).isEqualTo("drover logs: --lines: many (expected: an integer)" + System.lineSeparator());
  }
}
