package io.drover.master.internal.supervise;

import static io.drover.worker.DroverWorkerBuilder.ENV_CAPACITY;
import static io.drover.worker.DroverWorkerBuilder.ENV_HEARTBEAT_INTERVAL_MS;
import static io.drover.worker.DroverWorkerBuilder.ENV_MAX_FRAME_BYTES;
import static io.drover.worker.DroverWorkerBuilder.ENV_SOCKET;
import static io.drover.worker.DroverWorkerBuilder.ENV_WORKER_ID;
import static io.drover.worker.DroverWorkerBuilder.ENV_WORKER_INDEX;

import io.drover.master.config.MasterConfig;
import io.drover.master.internal.limits.LimitPlan;
import io.drover.master.internal.limits.LimitedWorker;
import io.drover.master.internal.limits.WorkerLimiter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one worker JVM with the master's own {@code java}, as a direct child process, passing its
 * settings in the environment variables the worker library reads ({@link
 * io.drover.worker.DroverWorkerBuilder}), inside its resource limits when it has any (its cgroup
 * joined and rlimits set before the JVM runs).
 */
final class WorkerLauncher {
  /**
   * A worker's log line, which the master prefixes with the worker's id and pid. While a handler
   * runs a task that carries a traceparent, the line names its trace and span ids (the MDC's
   * {@code trace_id} and {@code span_id}); other lines are left without the empty fields.
   */
  static final String LOG_PATTERN =
      "%-5level %logger{24} - %replace(trace_id=%X{trace_id} span_id=%X{span_id} ){'^trace_id= span_id= $', ''}%msg%n";

  private final MasterConfig config;
  private final Path socket;
  private final String javaBinary;
  private final ClassDataArchive archive;
  private final LimitPlan limits;
  /** The limits of each live worker it started, by pid; supervisor thread. */
  private final Map<Long, LimitedWorker> limited = new java.util.HashMap<>();

  /**
   * A launcher for {@code config}'s workers.
   *
   * @throws io.drover.master.internal.limits.UnenforceableLimitsException when a worker limit
   *     cannot be enforced on this machine and best effort is not allowed
   */
  WorkerLauncher(MasterConfig config, Path socket, WorkerLimiter limiter) {
    this.config = config;
    this.socket = socket;
    this.javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.limits = limiter.plan(config.workerLimits());
    this.archive =
        ClassDataArchive.in(
            config.workerClassDataDirectory(),
            socket.getParent(),
            command(List.of()),
            config.fullWorkerClasspath(),
            jvmOptionVariables(config.supervision().workerEnvironment()));
  }

  /** Worker {@code pid} has registered (its class-data archive, if any, was mapped or refused). */
  void workerRegistered(long pid) {
    if (archive != null) {
      archive.workerRegistered(pid);
    }
  }

  /**
   * Worker {@code pid} has exited with {@code status} (the archive it recorded may be complete,
   * its cgroup is removed).
   *
   * @return {@code "killed by the memory limit (256 MiB)"} when its memory limit killed it, else null
   */
  String workerExited(long pid, int status) {
    if (archive != null) {
      archive.workerExited(pid, status);
    }
    LimitedWorker worker = limited.remove(pid);
    return worker == null ? null : worker.exited();
  }

  /** The limits its workers run with and how each is enforced, in one line ({@code "none"} without). */
  String limitsInForce() {
    return limits.inForce();
  }

  /** The workers are gone: settles a class-data archive recording not reported as exited. */
  void close() {
    if (archive != null) {
      archive.close();
    }
  }

  /** The JVM option variables a worker sees: its own environment's, else the master's. */
  private static Map<String, String> jvmOptionVariables(Map<String, String> workerEnvironment) {
    Map<String, String> vars = new java.util.HashMap<>();
    for (String name : ClassDataFingerprint.JVM_OPTION_VARIABLES) {
      String value = workerEnvironment.containsKey(name) ? workerEnvironment.get(name) : System.getenv(name);
      if (value != null) {
        vars.put(name, value);
      }
    }
    return vars;
  }

  private List<String> command(List<String> archiveOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary);
    // The master's temporary directory, which may come from TMPDIR (scripts/drover): the JVM
    // itself ignores TMPDIR. The worker options may still set another.
    cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    cmd.addAll(config.workerJvmOptions());
    cmd.addAll(limits.heapOptions(config.workerJvmOptions()));
    cmd.addAll(crashFileOptions(config.workerJvmOptions()));
    cmd.addAll(archiveOptions);
    cmd.add("-Ddrover.log.pattern=" + LOG_PATTERN);
    // Workers log synchronously: their logging is on no shared loop, and they exit with
    // System.exit, which would lose the lines still queued in an asynchronous appender.
    cmd.add("-Ddrover.log.appender=STDOUT");
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, config.fullWorkerClasspath().stream().map(Path::toString).toList()));
    cmd.add(config.workerMainClass());
    return cmd;
  }

  /**
   * Where a crashing worker JVM writes its {@code hs_err} and compiler replay files: the temp
   * directory, not the worker's working directory (often a source tree), unless the operator
   * chose a place with their own {@code -XX:} option.
   */
  static List<String> crashFileOptions(List<String> jvmOptions) {
    String tmp = System.getProperty("java.io.tmpdir");
    List<String> options = new ArrayList<>(2);
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:ErrorFile="))) {
      options.add("-XX:ErrorFile=" + Path.of(tmp, "drover-worker-hs_err_pid%p.log"));
    }
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:ReplayDataFile="))) {
      options.add("-XX:ReplayDataFile=" + Path.of(tmp, "drover-worker-replay_pid%p.log"));
    }
    return options;
  }

  /** Starts the process for {@code slot}. */
  Process start(int slot) throws IOException {
    ClassDataArchive.Use use = archive == null ? ClassDataArchive.Use.NONE : archive.nextWorker();
    LimitedWorker worker = limits.prepare(slot);
    ProcessBuilder pb = new ProcessBuilder(worker.wrap(command(use.options())));
    Map<String, String> env = pb.environment();
    env.putAll(config.supervision().workerEnvironment());
    env.put(ENV_WORKER_INDEX, Integer.toString(slot - 1));
    env.put(ENV_HEARTBEAT_INTERVAL_MS, Long.toString(config.supervision().heartbeatInterval().toMillis()));
    env.put(ENV_SOCKET, socket.toString());
    env.put(ENV_WORKER_ID, Integer.toString(slot));
    env.put(ENV_CAPACITY, Integer.toString(config.workerCapacity()));
    env.put(ENV_MAX_FRAME_BYTES, Integer.toString(config.maxFrameBytes()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (config.supervision().workerDirectory() != null) {
      pb.directory(config.supervision().workerDirectory().toFile());
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      worker.exited();
      throw e;
    }
    limited.put(p.pid(), worker);
    if (archive != null) {
      archive.started(use, p);
    }
    return p;
  }
}
