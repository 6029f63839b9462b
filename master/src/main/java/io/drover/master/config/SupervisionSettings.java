package io.drover.master.config;

import io.drover.protocol.HumanUnits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the master keeps its worker pool healthy: restarts, heartbeats, recycling, worker logs and
 * the environment workers run in. Every setting has a default; build with {@link #builder()}.
 *
 * @param restartBackoffInitial delay before the second restart in a row (the first is immediate);
 *     doubles with each further crash
 * @param restartBackoffMax the longest delay between restarts
 * @param restartResetAfter a worker up this long resets its slot's backoff
 * @param crashLoopThreshold more crashes than this within {@code crashLoopWindow} put the slot in
 *     crash-loop state
 * @param crashLoopWindow the window crashes are counted in
 * @param heartbeatInterval how often workers send heartbeats
 * @param heartbeatTimeout a worker silent this long is killed and replaced
 * @param killGrace time between SIGTERM and SIGKILL when the master kills a worker
 * @param cancelGrace how long a handler may run on after its task was cancelled or passed its
 *     deadline; past it the handler's thread counts as stuck and its worker is recycled (zero: never)
 * @param maxTasksPerWorker recycle a worker after about this many tasks (0: never)
 * @param maxWorkerRssBytes recycle a worker whose resident memory exceeds this (0: never)
 * @param workerLogDirectory where each slot's output goes to {@code worker-N.log} (null: master log
 *     only)
 * @param workerLogMaxBytes size at which a worker log file is rotated
 * @param workerEnvironment extra environment variables for every worker
 * @param workerDirectory working directory of the workers (null: the master's)
 */
public record SupervisionSettings(
    Duration restartBackoffInitial,
    Duration restartBackoffMax,
    Duration restartResetAfter,
    int crashLoopThreshold,
    Duration crashLoopWindow,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Duration killGrace,
    Duration cancelGrace,
    long maxTasksPerWorker,
    long maxWorkerRssBytes,
    Path workerLogDirectory,
    long workerLogMaxBytes,
    Map<String, String> workerEnvironment,
    Path workerDirectory) {

  /** Validates every setting; the message names the bad one and the range it expected. */
  public SupervisionSettings {
    SettingChecks.checkDuration("restartBackoffInitial", restartBackoffInitial);
    SettingChecks.checkDuration("restartBackoffMax", restartBackoffMax);
    SettingChecks.checkDuration("restartResetAfter", restartResetAfter);
    SettingChecks.checkPositive("crashLoopThreshold", crashLoopThreshold);
    SettingChecks.checkDuration("crashLoopWindow", crashLoopWindow);
    SettingChecks.checkDuration("heartbeatInterval", heartbeatInterval);
    SettingChecks.checkDuration("heartbeatTimeout", heartbeatTimeout);
    SettingChecks.checkDuration("killGrace", killGrace);
    Objects.requireNonNull(cancelGrace, "cancelGrace");
    if (!cancelGrace.isZero()) {
      SettingChecks.checkDuration("cancelGrace", cancelGrace);
    }
    if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "heartbeatTimeout: " + HumanUnits.duration(heartbeatTimeout) + " (expected: > heartbeatInterval "
              + HumanUnits.duration(heartbeatInterval) + ")");
    }
    SettingChecks.checkRange("maxTasksPerWorker", maxTasksPerWorker, 0, SettingChecks.MAX_TASKS_PER_WORKER);
    SettingChecks.checkRange("maxWorkerRssBytes", maxWorkerRssBytes, 0, SettingChecks.MAX_BYTES);
    SettingChecks.checkPositive("workerLogMaxBytes", workerLogMaxBytes, SettingChecks.MAX_BYTES);
    workerEnvironment = Map.copyOf(Objects.requireNonNull(workerEnvironment, "workerEnvironment"));
  }

  /** The defaults. */
  public static SupervisionSettings defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SupervisionSettings}; every setter is optional. */
  public static final class Builder {
    private Duration restartBackoffInitial = Duration.ofSeconds(1);
    private Duration restartBackoffMax = Duration.ofSeconds(30);
    private Duration restartResetAfter = Duration.ofSeconds(10);
    private int crashLoopThreshold = 5;
    private Duration crashLoopWindow = Duration.ofSeconds(60);
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration heartbeatTimeout = Duration.ofSeconds(5);
    private Duration killGrace = Duration.ofSeconds(2);
    private Duration cancelGrace = Duration.ofSeconds(30);
    private long maxTasksPerWorker;
    private long maxWorkerRssBytes;
    private Path workerLogDirectory;
    private long workerLogMaxBytes = 10L * 1024 * 1024;
    private Map<String, String> workerEnvironment = Map.of();
    private Path workerDirectory;

    private Builder() {}

    /** Delay before the second restart in a row (default 1 s). */
    public Builder restartBackoffInitial(Duration d) {
      restartBackoffInitial = d;
      return this;
    }

    /** Longest delay between restarts (default 30 s). */
    public Builder restartBackoffMax(Duration d) {
      restartBackoffMax = d;
      return this;
    }

    /** Uptime that resets a slot's backoff (default 10 s). */
    public Builder restartResetAfter(Duration d) {
      restartResetAfter = d;
      return this;
    }

    /** Crashes within the window beyond which a slot is in crash loop (default 5). */
    public Builder crashLoopThreshold(int n) {
      crashLoopThreshold = n;
      return this;
    }

    /** Window for counting crashes (default 60 s). */
    public Builder crashLoopWindow(Duration d) {
      crashLoopWindow = d;
      return this;
    }

    /** Heartbeat period of workers (default 1 s). */
    public Builder heartbeatInterval(Duration d) {
      heartbeatInterval = d;
      return this;
    }

    /** Silence after which a worker is killed (default 5 s). */
    public Builder heartbeatTimeout(Duration d) {
      heartbeatTimeout = d;
      return this;
    }

    /** SIGTERM-to-SIGKILL grace (default 2 s). */
    public Builder killGrace(Duration d) {
      killGrace = d;
      return this;
    }

    /** Recycle workers after about this many tasks (default 0: never). */
    /**
     * How long a handler may run on after its task was cancelled or passed its deadline before its
     * worker is recycled (zero: never).
     */
    public Builder cancelGrace(Duration d) {
      cancelGrace = d;
      return this;
    }

    public Builder maxTasksPerWorker(long n) {
      maxTasksPerWorker = n;
      return this;
    }

    /** Recycle workers above this resident memory (default 0: never). */
    public Builder maxWorkerRssBytes(long n) {
      maxWorkerRssBytes = n;
      return this;
    }

    /** Directory for per-slot worker log files (default none). */
    public Builder workerLogDirectory(Path p) {
      workerLogDirectory = p;
      return this;
    }

    /** Rotation size of worker log files (default 10 MiB). */
    public Builder workerLogMaxBytes(long n) {
      workerLogMaxBytes = n;
      return this;
    }

    /** Extra environment variables for workers. */
    public Builder workerEnvironment(Map<String, String> env) {
      workerEnvironment = env;
      return this;
    }

    /** Working directory of workers (default: the master's). */
    public Builder workerDirectory(Path p) {
      workerDirectory = p;
      return this;
    }

    /** Validates and returns the settings. */
    public SupervisionSettings build() {
      return new SupervisionSettings(
          restartBackoffInitial,
          restartBackoffMax,
          restartResetAfter,
          crashLoopThreshold,
          crashLoopWindow,
          heartbeatInterval,
          heartbeatTimeout,
          killGrace,
          cancelGrace,
          maxTasksPerWorker,
          maxWorkerRssBytes,
          workerLogDirectory,
          workerLogMaxBytes,
          workerEnvironment,
          workerDirectory);
    }
  }
}
