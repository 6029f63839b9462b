package io.drover.client.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.drover.client.DroverClient;
import io.drover.client.TaskOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A user's program in miniature, run in a child JVM by tests that look at what the client prints:
 * it submits an {@code echo} task, then one too large for the master (which answers
 * FRAME_TOO_LARGE and closes the connection, a case the client logs), and prints both outcomes.
 * Before those, it sends two {@code traceparent} tasks, without and with an explicit
 * traceparent, and prints what the master received (the program runs without OpenTelemetry).
 *
 * <p>Arguments: the master's port, and the size of the oversized payload.
 */
public final class ClientProgram {
  /** The explicit traceparent the program sends. */
  public static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private ClientProgram() {}

  /** Runs the program; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int oversizedBytes = Integer.parseInt(args[1]);
    try (DroverClient client = DroverClient.connect("127.0.0.1", port)) {
      byte[] none = client.submit("traceparent", new byte[0]).get(30, TimeUnit.SECONDS);
      System.out.println("traceparent: " + new String(none, UTF_8));
      byte[] given =
          client
              .submit("traceparent", new byte[0], TaskOptions.defaults().withTraceparent(TRACEPARENT))
              .get(30, TimeUnit.SECONDS);
      System.out.println("traceparent: " + new String(given, UTF_8));
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
