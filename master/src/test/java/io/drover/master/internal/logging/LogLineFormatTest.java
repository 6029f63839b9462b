package io.drover.master.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineFormatTest {
  private static final long T = Instant.parse("2026-12-01T12:00:02.345Z").toEpochMilli();

  @Test
  void prefixesEachLineWithItsTimeAndSource() {
    String text =
        LogLineFormat.format(
            List.of(
                new LogLine(1, T, LogLine.MASTER, 7, false, "INFO", "i.d.master.DroverMaster - listening"),
                new LogLine(2, T, LogLine.MASTER, 7, false, "ERROR", "boom"),
                new LogLine(3, T, 2, 41123, false, "INFO", "hello"),
                new LogLine(4, T + 1, 2, 41123, true, "WARN", "oops")));
    assertThat(text)
        .isEqualTo(
            "2026-12-01T12:00:02.345Z [master] INFO  i.d.master.DroverMaster - listening\n"
                + "2026-12-01T12:00:02.345Z [master] ERROR boom\n"
                + "2026-12-01T12:00:02.345Z [worker 2 pid 41123] hello\n"
                + "2026-12-01T12:00:02.346Z [worker 2 pid 41123 stderr] oops\n");
  }

  @Test
  void oneEntryIsAlwaysOneLine() {
    String text = LogLineFormat.format(List.of(new LogLine(1, 0, 1, 5, false, "INFO", "a\nb\r\tc\u001b[31md")));
    assertThat(text).isEqualTo("1970-01-01T00:00:00.000Z [worker 1 pid 5] a\\nb\\r\tc?[31md\n");
  }
}
