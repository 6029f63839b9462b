package io.drover.master.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The token of the commands that connect to the client port ({@code submit}, {@code job}, {@code
 * bench}): from {@code --token-file FILE}, else the {@code DROVER_TOKEN} environment variable. A
 * picocli mixin. Never a command-line value: {@code ps} would show it to every user.
 */
public final class ClientTokenOptions {
  /** The environment variable read when no {@code --token-file} is given. */
  public static final String ENVIRONMENT = "DROVER_TOKEN";

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Authenticate with the tenant token in FILE (default: the DROVER_TOKEN environment variable, if set).")
  Path tokenFile;

  /**
   * The token, or null for none.
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no token
   */
  public String token() {
    if (tokenFile == null) {
      String env = System.getenv(ENVIRONMENT);
      return env == null || env.isBlank() ? null : env.strip();
    }
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file: cannot read " + tokenFile + " (" + e.getMessage() + ")", e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("--token-file: " + tokenFile + " is empty (expected: a token, as `drover token` prints)");
    }
    return token;
  }
}
