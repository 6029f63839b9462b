package io.drover.master.supervise;

import io.drover.master.config.MasterConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts one worker JVM with the master's own {@code java}, as a direct child process. */
final class WorkerLauncher {
  /** Environment variable: the worker socket's path. */
  static final String ENV_SOCKET = "DROVER_WORKER_SOCKET";
  /** Environment variable: the worker's slot id. */
  static final String ENV_WORKER_ID = "DROVER_WORKER_ID";
  /** Environment variable: how many tasks the worker runs at once. */
  static final String ENV_CAPACITY = "DROVER_WORKER_CAPACITY";
  /** Environment variable: the largest frame either side sends. */
  static final String ENV_MAX_FRAME = "DROVER_MAX_FRAME_BYTES";
  /** Environment variable: the worker's 0-based instance index (like PM2's NODE_APP_INSTANCE). */
  static final String ENV_INDEX = "DROVER_WORKER_INDEX";
  /** Environment variable: how often the worker sends heartbeats, in milliseconds. */
  static final String ENV_HEARTBEAT = "DROVER_HEARTBEAT_INTERVAL_MS";

  private final MasterConfig config;
  private final Path socket;
  private final String javaBinary;
  private final ClassDataArchive archive;

  WorkerLauncher(MasterConfig config, Path socket) {
    this.config = config;
    this.socket = socket;
    this.javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.archive =
        ClassDataArchive.in(config.workerClassDataDirectory(), command(List.of()), config.fullWorkerClasspath());
  }

  /** Tells the launcher a worker process has exited (the class-data archive may now be complete). */
  void workerExited() {
    if (archive != null) {
      archive.workerExited();
    }
  }

  /** The command line that starts a worker, with the class-data archive options of this spawn. */
  List<String> command() {
    return command(archive == null ? List.of() : archive.optionsForNextWorker());
  }

  private List<String> command(List<String> archiveOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary);
    cmd.addAll(config.workerJvmOptions());
    cmd.addAll(archiveOptions);
    cmd.add("-Ddrover.log.pattern=%-5level %logger{24} - %msg%n");
    // Workers log synchronously: their logging is on no shared loop, and they exit with
    // System.exit, which would lose the lines still queued in an asynchronous appender.
    cmd.add("-Ddrover.log.appender=STDOUT");
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, config.fullWorkerClasspath().stream().map(Path::toString).toList()));
    cmd.add(config.workerMainClass());
    return cmd;
  }

  /** Starts the process for {@code slot}. */
  Process start(int slot) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command());
    Map<String, String> env = pb.environment();
    env.putAll(config.supervision().workerEnvironment());
    env.put(ENV_INDEX, Integer.toString(slot - 1));
    env.put(ENV_HEARTBEAT, Long.toString(config.supervision().heartbeatInterval().toMillis()));
    env.put(ENV_SOCKET, socket.toString());
    env.put(ENV_WORKER_ID, Integer.toString(slot));
    env.put(ENV_CAPACITY, Integer.toString(config.workerCapacity()));
    env.put(ENV_MAX_FRAME, Integer.toString(config.maxFrameBytes()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (config.supervision().workerDirectory() != null) {
      pb.directory(config.supervision().workerDirectory().toFile());
    }
    return pb.start();
  }
}
