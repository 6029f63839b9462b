package io.drover.bench;

import io.drover.master.testing.DroverScript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A master started with {@code scripts/drover master} on a free loopback port for one test, and
 * stopped (with its workers, by PID) when closed.
 */
public final class RunningMaster implements AutoCloseable {
  private final Process process;
  private final int port;

  private RunningMaster(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code drover master args... --port P} (no admin endpoint unless {@code args} give one),
   * logging to {@code tmp/master.log}, and returns once it listens.
   */
  public static RunningMaster start(Path tmp, String... args) throws IOException, InterruptedException {
    int port = DroverScript.freePort();
    List<String> command = new ArrayList<>(List.of(DroverScript.DROVER.toString(), "master", "--admin-port", "0"));
    command.addAll(List.of(args));
    command.addAll(List.of("--port", Integer.toString(port)));
    return new RunningMaster(DroverScript.startMaster(new ProcessBuilder(command), tmp.resolve("master.log")), port);
  }

  /** The client port. */
  public int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    DroverScript.destroyWithDescendants(process);
  }
}
