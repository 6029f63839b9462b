package io.drover.client.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.drover.client.DroverClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A user's program in miniature, run in a child JVM by tests that look at what the client prints:
 * it submits an {@code echo} task, then one too large for the master (which answers
 * FRAME_TOO_LARGE and closes the connection, a case the client logs), and prints both outcomes.
 *
 * <p>Arguments: the master's port, and the size of the oversized payload.
 */
public final class ClientProgram {
  private ClientProgram() {}

  /** Runs the program; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int oversizedBytes = Integer.parseInt(args[1]);
    try (DroverClient client = DroverClient.connect("127.0.0.1", port)) {
      byte[] echoed = client.submit("echo", "hello".getBytes(UTF_8)).get(30, TimeUnit.SECONDS);
      System.out.println("echo: " + new String(echoed, UTF_8));
      try {
        client.submit("echo", new byte[oversizedBytes]).get(30, TimeUnit.SECONDS);
        System.out.println("oversized: answered");
      } catch (ExecutionException e) {
        System.out.println("oversized: " + e.getCause().getMessage());
      }
    }
  }
}
