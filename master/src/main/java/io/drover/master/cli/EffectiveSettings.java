package io.drover.master.cli;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.SupervisionSettings;
import io.drover.protocol.HumanUnits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What each setting key of {@code drover master} amounts to in a built {@link MasterConfig}, as
 * text, defaults included: {@code drover config show} prints it beside where each value came
 * from. Keyed like the options and the configuration file; a test keeps the keys equal to the
 * options'.
 */
final class EffectiveSettings {
  private EffectiveSettings() {}

  /** Every key's value in {@code c}, in the order of the options' help. */
  static Map<String, String> of(MasterConfig c) {
    SupervisionSettings s = c.supervision();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("host", c.host());
    v.put("port", Integer.toString(c.port()));
    v.put("workers", Integer.toString(c.workers()));
    v.put("worker-classpath", paths(c.workerClasspath()));
    v.put("worker-capacity", Integer.toString(c.workerCapacity()));
    v.put("max-in-flight-per-worker", Integer.toString(c.maxInFlightPerWorker()));
    v.put("max-frame-bytes", HumanUnits.bytesExactly(c.maxFrameBytes()));
    v.put("worker-main-class", c.workerMainClass());
    v.put("worker-jvm-opt", String.join(" ", c.workerJvmOptions()));
    v.put("worker-cds-dir", path(c.workerClassDataDirectory()));
    v.put("no-worker-cds", Boolean.toString(c.workerClassDataDirectory() == null));
    v.put("inline", Boolean.toString(c.inline()));
    v.put("scheduler", c.scheduler().settingName());
    v.put("max-queued-tasks", Integer.toString(c.maxQueuedTasks()));
    v.put("max-queued-mib", Long.toString(c.maxQueuedBytes() >> 20));
    v.put("when-queue-full", c.queueFullPolicy().name().toLowerCase(java.util.Locale.ROOT));
    v.put("max-in-flight-per-connection", Integer.toString(c.maxInFlightPerConnection()));
    v.put("max-attempts", Integer.toString(c.maxAttempts()));
    v.put("worker-start-timeout", duration(c.workerStartTimeout()));
    v.put("keep-waiting-for-workers", Boolean.toString(c.keepWaitingForWorkers()));
    v.put("restart-backoff-initial", duration(s.restartBackoffInitial()));
    v.put("restart-backoff-max", duration(s.restartBackoffMax()));
    v.put("restart-reset-after", duration(s.restartResetAfter()));
    v.put("crash-loop-threshold", Integer.toString(s.crashLoopThreshold()));
    v.put("crash-loop-window", duration(s.crashLoopWindow()));
    v.put("heartbeat-interval", duration(s.heartbeatInterval()));
    v.put("heartbeat-timeout", duration(s.heartbeatTimeout()));
    v.put("kill-grace", duration(s.killGrace()));
    v.put("cancel-grace", s.cancelGrace().isZero() ? "0 (never)" : duration(s.cancelGrace()));
    v.put("max-tasks-per-worker", s.maxTasksPerWorker() == 0 ? "0 (never)" : Long.toString(s.maxTasksPerWorker()));
    v.put("max-worker-rss", s.maxWorkerRssBytes() == 0 ? "0 (never)" : Long.toString(s.maxWorkerRssBytes() >> 20));
    v.put("worker-log-dir", path(s.workerLogDirectory()));
    v.put("worker-log-max-bytes", HumanUnits.bytesExactly(s.workerLogMaxBytes()));
    v.put(
        "worker-env",
        s.workerEnvironment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
    v.put("worker-dir", s.workerDirectory() == null ? "(the master's)" : s.workerDirectory().toString());
    v.put("shutdown-timeout", duration(c.shutdownTimeout()));
    v.put("admin-host", c.adminHost());
    v.put("admin-port", c.adminEnabled() ? Integer.toString(c.adminPort()) : "(off)");
    v.put("no-admin", Boolean.toString(!c.adminEnabled()));
    return v;
  }

  private static String duration(Duration d) {
    return HumanUnits.duration(d);
  }

  private static String path(Path p) {
    return p == null ? "(none)" : p.toString();
  }

  private static String paths(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(":"));
  }
}
