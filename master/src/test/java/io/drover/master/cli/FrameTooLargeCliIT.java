package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.DroverMaster;
import io.drover.master.testing.TestMasters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A payload larger than the master's maximum frame, sent by {@code scripts/drover submit} and
 * {@code job} (whose own maximum allows it): the master's FRAME_TOO_LARGE reaches the user as one
 * line on stderr naming the frame's size, the largest accepted and the setting that raises it, and
 * nothing else is printed (no log line of the client library on stdout).
 */
class FrameTooLargeCliIT {
  private static final Path DROVER = Path.of("..", "scripts", "drover").toAbsolutePath().normalize();
  private static final int MAX_FRAME = 64 * 1024;
  private static DroverMaster master;

  @TempDir static Path tmp;

  @BeforeAll
  static void startMaster() throws Exception {
    master = DroverMaster.start(TestMasters.config(1).maxFrameBytes(MAX_FRAME).build());
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  record Result(int exitCode, String stdout, String stderr) {}

  private static Result drover(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DROVER.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("drover %s finished", List.of(args)).isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theMastersRefusalNamesMaxFrameBytesAndTheLargestFrameInOneLine() throws Exception {
    Path payload = Files.write(tmp.resolve("payload.bin"), new byte[100_000]);
    String port = Integer.toString(master.clientAddress().getPort());
    for (String verb : List.of("submit", "job")) {
      Result r = drover(verb, "--port", port, "--type", "echo", "--payload-file", payload.toString(), "--max-frame-bytes", "1048576");
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
      assertThat(r.stdout()).isEmpty();
      assertThat(r.stderr().lines().toList())
          .singleElement()
          .asString()
          .matches(
              "drover " + verb + ": FRAME_TOO_LARGE: frame of 1000\\d\\d bytes \\(97\\.\\d KiB\\) exceeds the maximum frame of"
                  + " 64 KiB \\(65536 bytes\\); the master's --max-frame-bytes \\(at most 1 GiB\\) can raise it");
    }
  }
}
