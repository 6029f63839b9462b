package io.drover.master.cli;

import io.drover.master.DroverMaster;
import io.drover.master.config.MasterConfig;
import io.drover.master.config.MasterConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover master}: runs the master in the foreground until SIGINT or SIGTERM. */
@Command(
    name = "master",
    mixinStandardHelpOptions = true,
    description = "Run the master in the foreground with its pool of worker JVMs. Ctrl-C stops it.")
final class MasterCommand implements Callable<Integer> {
  @Option(names = "--host", description = "Address to listen on for clients (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "TCP port for clients (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = MasterConfig.DEFAULT_PORT;

  @Option(names = "--workers", description = "Number of worker JVMs (default: number of CPU cores).")
  Integer workers;

  @Option(
      names = "--worker-classpath",
      split = ":",
      paramLabel = "JAR",
      description = "Jars with TaskHandlers for the workers (repeatable or ':'-separated; default: the bundled examples jar).")
  List<Path> workerClasspath;

  @Option(names = "--worker-capacity", description = "Tasks each worker runs at once (default: 16).")
  Integer workerCapacity;

  @Option(names = "--max-in-flight-per-worker", description = "Most tasks a worker holds at once (default: 4 x capacity).")
  Integer maxInFlightPerWorker;

  @Option(names = "--max-frame-bytes", description = "Largest frame accepted (default: 16 MiB).")
  Integer maxFrameBytes;

  @Option(names = "--worker-main-class", description = "Main class of the worker JVMs (default: Drover's worker runtime).")
  String workerMainClass;

  @Option(names = "--worker-jvm-opt", paramLabel = "OPT", description = "JVM option for workers (repeatable; replaces the defaults).")
  List<String> workerJvmOptions;

  @Option(
      names = "--worker-cds-dir",
      paramLabel = "DIR",
      description = "Where worker class-data archives are kept (default: ~/.cache/drover/cds).")
  Path workerCdsDirectory;

  @Option(names = "--no-worker-cds", description = "Start workers without a class-data archive.")
  boolean noWorkerCds;

  @Option(
      names = "--inline",
      description = "Run the handlers inside the master, with no worker JVMs: a benchmarking aid that gives up isolation.")
  boolean inline;

  @Option(names = "--shutdown-timeout", description = "Seconds shutdown waits for tasks in progress (default: 30).")
  Integer shutdownTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    MasterConfig config = toConfig();
    DroverMaster master;
    try {
      master = DroverMaster.start(config);
    } catch (Exception e) {
      System.err.println("drover master: cannot start: " + e.getMessage());
      return 1;
    }
    ShutdownSignals.install(master::close);
    // Any other way out of the JVM still stops the workers.
    Runtime.getRuntime().addShutdownHook(new Thread(master::close, "drover-exit"));
    master.awaitTermination();
    return 0;
  }

  MasterConfig toConfig() {
    MasterConfigBuilder b = MasterConfig.builder().host(host).port(port);
    if (workers != null) {
      b.workers(workers);
    }
    if (workerClasspath != null) {
      b.workerClasspath(new ArrayList<>(workerClasspath));
    }
    if (workerCapacity != null) {
      b.workerCapacity(workerCapacity);
    }
    if (maxInFlightPerWorker != null) {
      b.maxInFlightPerWorker(maxInFlightPerWorker);
    }
    if (maxFrameBytes != null) {
      b.maxFrameBytes(maxFrameBytes);
    }
    if (workerMainClass != null) {
      b.workerMainClass(workerMainClass);
    }
    if (workerJvmOptions != null) {
      b.workerJvmOptions(workerJvmOptions);
    }
    b.inline(inline);
    if (noWorkerCds) {
      b.workerClassDataDirectory(null);
    } else if (workerCdsDirectory != null) {
      b.workerClassDataDirectory(workerCdsDirectory);
    }
    if (shutdownTimeoutSeconds != null) {
      b.shutdownTimeout(Duration.ofSeconds(shutdownTimeoutSeconds));
    }
    return b.build();
  }
}
