package io.drover.master.cli;

import io.drover.master.internal.auth.TokenHash;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code drover token}: prints a new random tenant token and the {@code token-sha256} line for
 * the master's configuration. The token goes to the client (a file it reads with {@code
 * --token-file}, or {@code DROVER_TOKEN}); only the hash goes in the master's configuration.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Print a new random tenant token and its token-sha256 line for the master's tenants.")
final class TokenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    String token = TokenHash.newToken();
    System.out.println("token: " + token);
    System.out.println("token-sha256: " + TokenHash.hex(token));
    return 0;
  }
}
