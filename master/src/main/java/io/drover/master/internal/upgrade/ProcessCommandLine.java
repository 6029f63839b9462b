package io.drover.master.internal.upgrade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line this process was started with, exactly (the JVM's options, {@code -jar} and the
 * jar, the verb and its options), read from {@code /proc/self/cmdline}: the successor of an
 * upgraded master runs the same command, with another jar when one is given.
 */
public final class ProcessCommandLine {
  private final List<String> arguments;

  ProcessCommandLine(List<String> arguments) {
    if (arguments.isEmpty()) {
      throw new IllegalArgumentException("arguments: empty (expected: at least the program)");
    }
    this.arguments = List.copyOf(arguments);
  }

  /** A command line of {@code arguments}, the program first (another program than this, in tests). */
  public static ProcessCommandLine of(List<String> arguments) {
    return new ProcessCommandLine(arguments);
  }

  /**
   * This process's command line.
   *
   * @throws IOException when {@code /proc/self/cmdline} cannot be read (not Linux)
   */
  public static ProcessCommandLine current() throws IOException {
    return parse(Files.readAllBytes(Path.of("/proc/self/cmdline")));
  }

  /** The arguments in {@code cmdline}'s format: each one followed by a NUL byte. */
  static ProcessCommandLine parse(byte[] cmdline) {
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < cmdline.length) {
      args.add(new String(cmdline, start, cmdline.length - start, StandardCharsets.UTF_8));
    }
    return new ProcessCommandLine(args);
  }

  /** The arguments, the program first. */
  public List<String> arguments() {
    return arguments;
  }

  /** The jar after {@code -jar}, or null when the process was not started with one. */
  public String jar() {
    int i = arguments.indexOf("-jar");
    return i >= 0 && i + 1 < arguments.size() ? arguments.get(i + 1) : null;
  }

  /**
   * The same command with {@code jar} in place of the jar after {@code -jar}.
   *
   * @throws IllegalStateException when the process was not started with {@code -jar}
   */
  public ProcessCommandLine withJar(Path jar) {
    int i = arguments.indexOf("-jar");
    if (i < 0 || i + 1 >= arguments.size()) {
      throw new IllegalStateException(
          "this master was not started with java -jar (" + String.join(" ", arguments.subList(0, Math.min(3, arguments.size())))
              + " ...), so another jar cannot be put in its place; upgrade without --jar runs the same command again");
    }
    List<String> args = new ArrayList<>(arguments);
    args.set(i + 1, jar.toString());
    return new ProcessCommandLine(args);
  }

  @Override
  public String toString() {
    return String.join(" ", arguments);
  }
}
