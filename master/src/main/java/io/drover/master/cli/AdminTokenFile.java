package io.drover.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a CLI verb that changes the master finds its admin token: {@code --token-file}, else
 * {@code $DROVER_ADMIN_TOKEN}, else {@code admin.token} in the runtime directory the master names
 * in {@code /status} (beside its worker socket), which only the master's user can read.
 */
final class AdminTokenFile {
  /** The environment variable that may hold the token. */
  static final String ENV = "DROVER_ADMIN_TOKEN";

  private AdminTokenFile() {}

  /** The token for the master at {@code endpoint}; an IOException's message is the line to print. */
  static String find(AdminEndpoint endpoint, Path tokenFile) throws IOException, InterruptedException {
    if (tokenFile != null) {
      return read(tokenFile, "--token-file");
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    String socket = new ObjectMapper().readTree(endpoint.get("/status")).at("/master/listen/workers").asText("");
    if (socket.isEmpty()) {
      throw new IOException(endpoint + " did not say where its runtime directory is; give --token-file");
    }
    Path file = Path.of(socket).resolveSibling("admin.token");
    return read(file, "the master's runtime directory");
  }

  private static String read(Path file, String from) throws IOException {
    try {
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new IOException("the admin token file " + file + " is empty");
      }
      return token;
    } catch (AccessDeniedException e) {
      throw new IOException(
          "cannot read the admin token at " + file + " (permission denied): run as the master's user, or give --token-file", e);
    } catch (NoSuchFileException e) {
      throw new IOException(
          "no admin token at " + file + " (from " + from + "): is the master on another host? give --token-file or $" + ENV, e);
    }
  }
}
