package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {
  @TempDir Path dir;

  @Test
  void writesWholeLinesAndRotatesBySizeKeepingThreeOldFiles() throws Exception {
    try (RotatingLogFile log = new RotatingLogFile(dir, 3, 100)) {
      for (int i = 0; i < 50; i++) {
        log.append(String.format("line %02d %s", i, "x".repeat(20)));
      }
    }
    Path current = dir.resolve("worker-3.log");
    assertThat(current).exists();
    assertThat(Files.size(current)).isLessThanOrEqualTo(100);
    assertThat(dir.resolve("worker-3.log.1")).exists();
    assertThat(dir.resolve("worker-3.log.2")).exists();
    assertThat(dir.resolve("worker-3.log.3")).exists();
    assertThat(dir.resolve("worker-3.log.4")).doesNotExist();
    assertThat(Files.readAllLines(current)).last().asString().startsWith("line 49");
    assertThat(Files.readAllLines(dir.resolve("worker-3.log.1")))
        .allMatch(l -> l.matches("line \\d\\d x{20}"));
  }

  @Test
  void appendsToAnExistingFile() throws Exception {
    try (RotatingLogFile log = new RotatingLogFile(dir, 1, 1000)) {
      log.append("first");
    }
    try (RotatingLogFile log = new RotatingLogFile(dir, 1, 1000)) {
      log.append("second");
    }
    assertThat(Files.readAllLines(dir.resolve("worker-1.log"))).containsExactly("first", "second");
  }
}
