package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console samples of the README's "A short tour" (with its "Jobs"), run for real: the first
 * {@code $ scripts/drover master} starts a master, every later {@code $ scripts/drover ...} line
 * runs against it, and what each prints (standard output and error together) must be the lines
 * the README shows below it, so that the README cannot drift from what the commands print.
 *
 * <p>In the README's lines, {@code ...} stands for any text (a line of just {@code ...} for any
 * number of lines), and every number for any number: timings, timestamps, pids and counts that
 * depend on the machine or on the README's own length. The master's log is matched more loosely:
 * the lines shown must appear in that order, with any others between them. Each command is run
 * with a free {@code --port} rather than 7070, and the master with {@code --no-worker-cds}, so that
 * the test touches nothing outside its own directory.
 */
class ReadmeTourIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path README = ROOT.resolve("README.md");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stopMaster() throws InterruptedException {
    if (master != null && master.isAlive()) {
      List<ProcessHandle> workers = master.descendants().toList();
      master.destroy();
      if (!master.waitFor(60, TimeUnit.SECONDS)) {
        master.destroyForcibly();
      }
      workers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** A {@code $ ...} line of a console block and the lines shown below it. */
  record Sample(String command, List<String> expected) {
    List<String> args() {
      return Arrays.asList(command.trim().split("\\s+"));
    }
  }

  /** The samples of the console blocks from "## A short tour" up to "### Your own handlers". */
  static List<Sample> samples() throws IOException {
    String readme = Files.readString(README);
    int from = readme.indexOf("## A short tour");
    int to = readme.indexOf("### Your own handlers", from);
    assertThat(from).as("README has 'A short tour'").isNotNegative();
    assertThat(to).as("README has 'Your own handlers' after it").isPositive();
    List<Sample> samples = new ArrayList<>();
    Matcher block = Pattern.compile("```console\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(from, to));
    while (block.find()) {
      Sample current = null;
      for (String line : block.group(1).split("\n")) {
        if (line.startsWith("$ ")) {
          current = new Sample(line.substring(2), new ArrayList<>());
          samples.add(current);
        } else if (current != null) {
          current.expected().add(line);
        }
      }
    }
    return samples;
  }

  @Test
  void everyCommandOfTheTourPrintsWhatTheReadmeShows() throws Exception {
    List<Sample> samples = samples();
    assertThat(samples).as("README tour samples").hasSizeGreaterThan(5);
    Sample first = samples.get(0);
    assertThat(first.command()).startsWith("scripts/drover master");
    int port = freePort();
    Path log = tmp.resolve("master.log");
    master =
        new ProcessBuilder(withPort(first, port, "--no-worker-cds"))
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String lastShown = first.expected().get(first.expected().size() - 1);
    try {
      await("the master's last line shown")
          .atMost(Duration.ofSeconds(90))
          .until(() -> !master.isAlive() || Files.readString(log).lines().anyMatch(l -> matches(lastShown, l)));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // The README shows a line the master does not print: the comparison below says which.
    }
    List<String> mismatches = new ArrayList<>();
    if (!inOrder(first.expected(), Files.readString(log).lines().toList())) {
      mismatches.add(describe(first, Files.readString(log)));
    }
    for (Sample s : samples.subList(1, samples.size())) {
      assertThat(s.command()).as("a tour command").startsWith("scripts/drover ");
      String output = run(withPort(s, port));
      if (!matchesAll(s.expected(), output.lines().toList())) {
        mismatches.add(describe(s, output));
      }
    }
    assertThat(mismatches).as("README samples that differ from today's output").isEmpty();
  }

  private static String describe(Sample s, String output) {
    return "$ " + s.command() + "\nREADME shows:\n" + String.join("\n", s.expected()) + "\nprinted:\n" + output;
  }

  /** The sample's command with {@code --port} (and {@code extra}) right after its verb. */
  private static List<String> withPort(Sample s, int port, String... extra) {
    List<String> args = new ArrayList<>(s.args());
    List<String> added = new ArrayList<>(List.of("--port", Integer.toString(port)));
    added.addAll(List.of(extra));
    args.addAll(2, added);
    args.set(0, ROOT.resolve(args.get(0)).toString());
    return args;
  }

  private String run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish");
    }
    return Files.readString(out);
  }

  /** Whether {@code actual} is exactly the {@code expected} lines, {@code ...} lines matching any run. */
  static boolean matchesAll(List<String> expected, List<String> actual) {
    return matchFrom(expected, 0, actual, 0);
  }

  private static boolean matchFrom(List<String> expected, int e, List<String> actual, int a) {
    if (e == expected.size()) {
      return a == actual.size();
    }
    if (expected.get(e).trim().equals("...")) {
      for (int skip = a; skip <= actual.size(); skip++) {
        if (matchFrom(expected, e + 1, actual, skip)) {
          return true;
        }
      }
      return false;
    }
    return a < actual.size() && matches(expected.get(e), actual.get(a)) && matchFrom(expected, e + 1, actual, a + 1);
  }

  /** Whether the {@code expected} lines other than {@code ...} appear in {@code actual} in that order. */
  static boolean inOrder(List<String> expected, List<String> actual) {
    int a = 0;
    for (String line : expected) {
      if (line.trim().equals("...")) {
        continue;
      }
      while (a < actual.size() && !matches(line, actual.get(a))) {
        a++;
      }
      if (a == actual.size()) {
        return false;
      }
      a++;
    }
    return true;
  }

  /** Whether {@code actual} is the README's {@code expected} line, with its wildcards. */
  static boolean matches(String expected, String actual) {
    StringBuilder regex = new StringBuilder();
    String[] literals = expected.split("\\.\\.\\.", -1);
    for (int i = 0; i < literals.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      Matcher n = NUMBER.matcher(literals[i]);
      int at = 0;
      while (n.find()) {
        regex.append(Pattern.quote(literals[i].substring(at, n.start()))).append("\\d+(?:\\.\\d+)?");
        at = n.end();
      }
      regex.append(Pattern.quote(literals[i].substring(at)));
    }
    return actual.matches(regex.toString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
