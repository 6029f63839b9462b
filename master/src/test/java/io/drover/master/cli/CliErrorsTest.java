package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake on a {@code drover} command line is answered with one line on stderr that names
 * the option, the value and what was expected, with exit code 2; a failure at run time with one
 * line and exit code 1. Never a stack trace.
 */
class CliErrorsTest {
  @TempDir static Path tmp;
  private static Path huge;

  @BeforeAll
  static void files() throws IOException {
    // A sparse file of 3 GiB: larger than any frame, and than any Java array.
    huge = tmp.resolve("huge.bin");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
  }

  record Outcome(int exitCode, String stdout, String stderr) {}

  static Outcome drover(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
    try {
      int exit = DroverCli.run(args);
      return new Outcome(exit, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Bad invocations, each with the text its one line must hold (the option and the value). */
  static Stream<Arguments> usageErrors() {
    String missing = tmp.resolve("no-such-file").toString();
    String directory = tmp.toString();
    return Stream.of(
        bad("drover master: --port: 99999 (expected: 0..65535)", "master", "--port", "99999"),
        bad("drover master: --port: abc (expected: an integer)", "master", "--port", "abc"),
        bad("drover master: --workers: 0 (expected: 1..1024)", "master", "--workers", "0"),
        bad("drover master: --max-frame-bytes: 100 (expected: >= 8192)", "master", "--max-frame-bytes", "100"),
        bad("drover master: --heartbeat-timeout: 1e300 (expected: <= 24 d)", "master", "--heartbeat-timeout", "1e300"),
        bad("drover master: --heartbeat-timeout: 1 (expected: > --heartbeat-interval 2 s)",
            "master", "--heartbeat-timeout", "1", "--heartbeat-interval", "2"),
        bad("drover master: --kill-grace: abc (expected: a number)", "master", "--kill-grace", "abc"),
        bad("drover master: --when-queue-full: sometimes (expected: reject or pause)", "master", "--when-queue-full", "sometimes"),
        bad("drover master: --scheduler: fastest (expected one of", "master", "--scheduler", "fastest"),
        bad("drover master: --max-queued-mib: 0 (expected: 1..1073741824)", "master", "--max-queued-mib", "0"),
        bad("drover master: --bogus: unknown option", "master", "--bogus"),
        bad("drover master: --admin-port: 99999 (expected: 0..65535)", "master", "--admin-port", "99999"),
        bad("drover master: --port: no value", "master", "--port"),
        bad("drover submit: one of --payload, --payload-file is required", "submit", "--type", "echo"),
        bad("drover submit: --type is required", "submit", "--payload", "x"),
        bad("drover submit: --payload-file: " + missing + ": no such file (expected: a readable file)",
            "submit", "--type", "echo", "--payload-file", missing),
        bad("drover submit: --payload-file: " + directory + ": is a directory (expected: a readable file)",
            "submit", "--type", "echo", "--payload-file", directory),
        bad("drover submit: --payload-file: " + huge + ": 3 GiB (3221225472 bytes), more than a task may carry"
                + " (expected: at most 16773120 bytes, --max-frame-bytes 16 MiB less 4 KiB for the header;"
                + " --max-frame-bytes here and on the master raises it, up to 1 GiB)",
            "submit", "--type", "echo", "--payload-file", huge.toString()),
        bad("drover submit: --port: 99999 (expected: 1-65535)", "submit", "--type", "echo", "--payload", "x", "--port", "99999"),
        bad("drover submit: --count: 0 (expected: >= 1)", "submit", "--type", "echo", "--payload", "x", "--count", "0"),
        bad("drover submit: --concurrency: -3 (expected: >= 1)", "submit", "--type", "echo", "--payload", "x", "--concurrency", "-3"),
        bad("drover submit: --timeout: 30s (expected: an integer)", "submit", "--type", "echo", "--payload", "x", "--timeout", "30s"),
        bad("drover submit: --deadline-ms: -5 (expected: 1 ms .. 49 d)", "submit", "--type", "echo", "--payload", "x", "--deadline-ms", "-5"),
        bad("drover submit: --priority: urgent (expected: one of low, normal, high)",
            "submit", "--type", "echo", "--payload", "x", "--priority", "urgent"),
        bad("drover submit: --max-frame-bytes: 100 (expected: >= 8192)",
            "submit", "--type", "echo", "--payload", "x", "--max-frame-bytes", "100"),
        bad("drover submit: --port: given more than once", "submit", "--type", "echo", "--payload", "x", "--port", "1", "--port", "2"),
        bad("drover submit: extra: unexpected argument", "submit", "--type", "echo", "--payload", "x", "extra"),
        bad("drover submit: --payload=TEXT, --payload-file=FILE are mutually exclusive",
            "submit", "--type", "echo", "--payload", "x", "--payload-file", missing),
        bad("drover job: --lines: " + missing + ": no such file (expected: a readable file)", "job", "--type", "wordcount", "--lines", missing),
        bad("drover job: --payload-file: " + huge + ": 3 GiB (3221225472 bytes), more than a task may carry",
            "job", "--type", "echo", "--payload-file", huge.toString()),
        bad("drover job: --repeat: 0 (expected: >= 1)", "job", "--type", "echo", "--payload", "a", "--repeat", "0"),
        bad("drover job: one of --payload, --payload-file, --lines is required", "job", "--type", "echo"),
        bad("drover: nosuchverb: unknown command", "nosuchverb"),
        bad("drover: missing command (expected one of: master, submit, job"));
  }

  private static Arguments bad(String line, String... args) {
    return Arguments.of(line, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void aUsageErrorIsOneLineNamingTheOptionAndValueWithExitCode2(String line, String[] args) {
    Outcome o = drover(args);
    assertThat(o.exitCode()).as(o.stderr()).isEqualTo(2);
    assertOneLine(o.stderr(), line);
    assertThat(o.stdout()).isEmpty();
  }

  @Test
  void aMasterWithNothingListeningIsARuntimeFailureNamingHostAndPortWithExitCode1() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again at once: nothing listens there
    }
    String expected =
        "cannot connect to the Drover master at 127.0.0.1:" + port + ": nothing is listening there (connection refused)";
    for (String verb : List.of("submit", "job")) {
      Outcome o = drover(verb, "--port", Integer.toString(port), "--type", "echo", "--payload", "x");
      assertThat(o.exitCode()).as(o.stderr()).isEqualTo(1);
      assertOneLine(o.stderr(), "drover " + verb + ": " + expected);
    }
  }

  private static void assertOneLine(String stderr, String expectedStart) {
    List<String> lines = new ArrayList<>(stderr.lines().toList());
    assertThat(lines).as("stderr: %s", stderr).hasSize(1);
    assertThat(lines.get(0)).startsWith(expectedStart).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aPayloadFileThatFitsIsReadWhole() throws IOException {
    Path small = Files.write(tmp.resolve("small.bin"), new byte[] {1, 2, 3});
    byte[] read = PayloadFiles.read(
        new picocli.CommandLine(new SubmitCommand()).getCommandSpec(), "--payload-file", small, 16 << 20);
    assertThat(read).containsExactly(1, 2, 3);
  }
}
