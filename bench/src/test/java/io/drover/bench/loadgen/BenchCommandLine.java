package io.drover.bench.loadgen;

import io.drover.bench.BenchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code drover bench}'s command line in the test's JVM (the bench jar does not exist while
 * this module's tests run), capturing what it prints.
 *
 * @param exitCode what the command returned
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record BenchCommandLine(int exitCode, String out, String err) {
  /** Runs {@code drover args...}. */
  static BenchCommandLine run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
      code = BenchCli.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new BenchCommandLine(code, captured.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
  }
}
