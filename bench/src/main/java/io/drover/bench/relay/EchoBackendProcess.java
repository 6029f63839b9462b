package io.drover.bench.relay;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link EchoBackend} JVM, started with the relay's own {@code java} and class path and
 * the JVM options measured to be fastest for Netty relays here.
 */
final class EchoBackendProcess {
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:+UseParallelGC", "-Dio.netty.allocator.type=pooled", "-Xshare:auto", "-Xmx256m");

  private final Process process;
  private final Path socket;

  private EchoBackendProcess(Process process, Path socket) {
    this.process = process;
    this.socket = socket;
  }

  /** Spawns a backend that will listen on {@code socket}; its output goes to this process'. */
  static EchoBackendProcess start(Path socket) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EchoBackend.class.getName());
    command.add(socket.toString());
    Process process = new ProcessBuilder(command).inheritIO().start();
    return new EchoBackendProcess(process, socket);
  }

  long pid() {
    return process.pid();
  }

  Path socket() {
    return socket;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Asks the process to exit (SIGTERM), then kills it if it has not within a second. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(1, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
