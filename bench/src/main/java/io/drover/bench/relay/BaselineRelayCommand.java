package io.drover.bench.relay;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import io.drover.master.cli.OptionErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover baseline-relay}: runs the bare relay until SIGTERM or Ctrl-C, which stop its echo
 * backends too. A benchmarking aid, not part of Drover.
 */
@Command(
    name = "baseline-relay",
    mixinStandardHelpOptions = true,
    description = {
      "Bare relay baseline: forwards length-prefixed frames from TCP clients to N echo backend"
          + " processes over Unix domain sockets and back, with no task semantics.",
      "Drive it with: drover bench --port PORT --expect-echo-frames ..."
    })
public final class BaselineRelayCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7071", description = "TCP port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--backends", defaultValue = "2", description = "Echo backend processes (default: ${DEFAULT-VALUE}).")
  int backends;

  @Override
  public Integer call() throws Exception {
    BaselineRelay relay;
    try {
      relay = BaselineRelay.start(host, port, backends);
    } catch (IllegalArgumentException e) {
      throw OptionErrors.fromSetting(spec, e, java.util.Map.of());
    }
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close = () -> {
      if (closed.compareAndSet(false, true)) {
        relay.close();
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(close, "relay-shutdown"));
    System.out.printf(
        "baseline relay listening on %s:%d, %d echo backends (pids %s)%n",
        host, relay.port(), backends, relay.backendPids());
    System.out.flush();
    relay.awaitClose();
    close.run();
    return 0;
  }
}
