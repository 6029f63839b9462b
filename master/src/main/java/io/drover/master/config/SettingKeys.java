package io.drover.master.config;

import io.drover.protocol.HumanUnits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The master's settings by key, the names of {@code drover master}'s options and of the
 * configuration file's keys ({@code max-queued-tasks}): each key's value in a {@link
 * MasterConfig} as text, defaults included, and how a reload can apply a change to it. {@code
 * drover config show} prints the values; a reload compares two configs key by key. A test keeps
 * the keys equal to the options'.
 */
public final class SettingKeys {
  /** How a running master takes a new value of a setting. */
  public enum Change {
    /** At once, without disturbing a task. */
    LIVE,
    /** By growing or shrinking the pool (the worker count). */
    POOL_SIZE,
    /** By replacing the workers, one at a time (a rolling restart): what the workers run. */
    WORKERS,
    /** Only when the master itself restarts (listening sockets, the transport's limits). */
    MASTER
  }

  private static final Map<String, Change> CHANGES = changes();

  private SettingKeys() {}

  private static Map<String, Change> changes() {
    Map<String, Change> c = new LinkedHashMap<>();
    for (String k : List.of("host", "port", "max-frame-bytes", "inline", "admin-host", "admin-port", "admin-token-file", "no-admin", "worker-log-dir", "worker-log-max-bytes", "keep-waiting-for-workers", "reuse-port", "shm-mib", "shm-threshold-kib")) {
      c.put(k, Change.MASTER);
    }
    c.put("admin-tls", Change.MASTER);
    for (String k : List.of("max-connections", "max-connections-per-address", "idle-timeout", "frame-read-timeout", "tls-handshake-timeout", "auth-timeout", "max-partial-frame-mib")) {
      c.put(k, Change.MASTER);
    }
    c.put("workers", Change.POOL_SIZE);
    for (String k : List.of("worker-classpath", "worker-capacity", "worker-main-class", "worker-jvm-opt", "worker-cds-dir", "no-worker-cds", "worker-env", "worker-dir",
        "worker-memory", "worker-memory-high", "worker-cpus", "worker-max-processes", "worker-max-open-files", "limits-best-effort")) {
      c.put(k, Change.WORKERS);
    }
    for (String k : List.of(
        "scheduler", "max-in-flight-per-worker", "adaptive-in-flight-max", "adaptive-queue-delay", "max-queued-tasks", "max-queued-mib", "when-queue-full",
        "max-in-flight-per-connection", "max-attempts", "worker-start-timeout", "restart-backoff-initial",
        "restart-backoff-max", "restart-reset-after", "crash-loop-threshold", "crash-loop-window",
        "heartbeat-interval", "heartbeat-timeout", "kill-grace", "cancel-grace", "max-tasks-per-worker",
        "max-worker-rss", "shutdown-timeout", "autoscale-max", "autoscale-min", "autoscale-target", "autoscale-cpu",
        "autoscale-up-window", "autoscale-down-window", "autoscale-cooldown", "log-level",
        "tls-cert", "tls-key", "tls-client-ca", "tls-client-auth", "auth", "tenants")) {
      c.put(k, Change.LIVE);
    }
    return Map.copyOf(c);
  }

  /** How a running master takes a new value of {@code key}. */
  public static Change change(String key) {
    Change c = CHANGES.get(key);
    if (c == null) {
      throw new IllegalArgumentException("key: " + key + " (expected: a setting's key)");
    }
    return c;
  }

  /** The keys whose values differ between {@code before} and {@code after}, with both values. */
  public static Map<String, List<String>> changed(MasterConfig before, MasterConfig after) {
    Map<String, String> a = values(before);
    Map<String, String> b = values(after);
    Map<String, List<String>> changed = new LinkedHashMap<>();
    a.forEach((k, v) -> {
      if (!v.equals(b.get(k))) {
        changed.put(k, List.of(v, b.get(k)));
      }
    });
    return changed;
  }

  /** Every key's value in {@code c} as text, in the order of the options' help. */
  public static Map<String, String> values(MasterConfig c) {
    SupervisionSettings s = c.supervision();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("host", c.host());
    v.put("port", Integer.toString(c.port()));
    v.put("reuse-port", Boolean.toString(c.reusePort()));
    v.put("workers", Integer.toString(c.workers()));
    v.put("worker-classpath", paths(c.workerClasspath()));
    v.put("worker-capacity", Integer.toString(c.workerCapacity()));
    v.put("max-in-flight-per-worker", c.inFlightLimit().settingValue());
    v.put("adaptive-in-flight-max", Integer.toString(c.inFlightLimit().adaptiveMax()));
    v.put("adaptive-queue-delay", duration(c.inFlightLimit().queueDelay()));
    v.put("max-frame-bytes", HumanUnits.bytesExactly(c.maxFrameBytes()));
    v.put("worker-main-class", c.workerMainClass());
    v.put("worker-jvm-opt", String.join(" ", c.workerJvmOptions()));
    v.put("worker-cds-dir", path(c.workerClassDataDirectory()));
    v.put("no-worker-cds", Boolean.toString(c.workerClassDataDirectory() == null));
    v.put("inline", Boolean.toString(c.inline()));
    v.put("scheduler", c.scheduler().settingName());
    v.put("max-queued-tasks", Integer.toString(c.maxQueuedTasks()));
    v.put("max-queued-mib", Long.toString(c.maxQueuedBytes() >> 20));
    v.put("shm-mib", c.sharedMemory().enabled() ? Long.toString(c.sharedMemory().regionBytes() >> 20) : "0 (off)");
    v.put("shm-threshold-kib", Integer.toString(c.sharedMemory().thresholdBytes() >> 10));
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
    WorkerLimits l = c.workerLimits();
    v.put("worker-memory", l.memoryBytes() == 0 ? "0 (none)" : HumanUnits.bytesExactly(l.memoryBytes()));
    v.put("worker-memory-high", l.memoryHighBytes() == 0 ? "0 (none)" : HumanUnits.bytesExactly(l.memoryHighBytes()));
    v.put("worker-cpus", l.cpus() == 0 ? "0 (none)" : WorkerLimits.cores(l.cpus()));
    v.put("worker-max-processes", l.maxProcesses() == 0 ? "0 (none)" : Integer.toString(l.maxProcesses()));
    v.put("worker-max-open-files", l.maxOpenFiles() == 0 ? "0 (none)" : Integer.toString(l.maxOpenFiles()));
    v.put("limits-best-effort", Boolean.toString(l.bestEffort()));
    v.put("shutdown-timeout", duration(c.shutdownTimeout()));
    AutoscaleSettings a = c.autoscale();
    v.put("autoscale-max", a.enabled() ? Integer.toString(a.max()) : "0 (off)");
    v.put("autoscale-min", Integer.toString(a.min()));
    v.put("autoscale-target", Double.toString(a.target()));
    v.put("autoscale-cpu", a.cpuTarget() == 0 ? "0 (off)" : Double.toString(a.cpuTarget()));
    v.put("autoscale-up-window", duration(a.upWindow()));
    v.put("autoscale-down-window", duration(a.downWindow()));
    v.put("autoscale-cooldown", duration(a.cooldown()));
    v.put("log-level", c.logLevels().isEmpty() ? "(as logback.xml says)" : c.logLevels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().toUpperCase(java.util.Locale.ROOT)).collect(Collectors.joining(" ")));
    v.put("admin-host", c.adminHost());
    v.put("admin-port", c.adminEnabled() ? Integer.toString(c.adminPort()) : "(off)");
    v.put("admin-token-file", c.adminTokenFile() == null ? "(a fresh one in the runtime directory)" : c.adminTokenFile().toString());
    v.put("no-admin", Boolean.toString(!c.adminEnabled()));
    TlsSettings t = c.tls();
    v.put("tls-cert", t.enabled() ? t.certificate().toString() : "(none: no TLS)");
    v.put("tls-key", path(t.privateKey()));
    v.put("tls-client-ca", path(t.clientCa()));
    v.put("tls-client-auth", t.clientAuth().settingName());
    v.put("admin-tls", Boolean.toString(t.admin()));
    ConnectionLimits n = c.connectionLimits();
    v.put("max-connections", Integer.toString(n.maxConnections()));
    v.put("max-connections-per-address", Integer.toString(n.maxConnectionsPerAddress()));
    v.put("idle-timeout", n.idleTimeout().isZero() ? "0 (never)" : duration(n.idleTimeout()));
    v.put("frame-read-timeout", n.frameReadTimeout().isZero() ? "0 (no limit)" : duration(n.frameReadTimeout()));
    v.put("tls-handshake-timeout", duration(n.tlsHandshakeTimeout()));
    v.put("auth-timeout", duration(n.authTimeout()));
    v.put("max-partial-frame-mib", Long.toString(n.maxPartialFrameBytes() >> 20));
    AuthSettings auth = c.auth();
    v.put("auth", auth.waived() ? "none" : "auto");
    // Names and limits only: a token's hash is as good as a password to whoever can guess short tokens.
    v.put("tenants", auth.tenants().isEmpty() ? "(none)" : auth.tenants().stream().map(SettingKeys::tenant).collect(Collectors.joining("; ")));
    return v;
  }

  private static String tenant(TenantSettings t) {
    StringBuilder s = new StringBuilder(t.name()).append(" (");
    s.append(t.tokenSha256() != null ? "token" : "").append(t.tokenSha256() != null && t.certificateSubject() != null ? ", " : "");
    s.append(t.certificateSubject() != null ? "certificate " + t.certificateSubject() : "");
    s.append(t.anyTaskType() ? "" : ", task types " + String.join(",", t.taskTypes()));
    s.append(t.maxInFlight() == 0 ? "" : ", max in flight " + t.maxInFlight());
    s.append(t.maxPriority() == TenantSettings.Priority.HIGH ? "" : ", max priority " + t.maxPriority().settingName());
    s.append(t.queueShare() == 1 ? "" : ", queue share " + t.queueShare());
    return s.append(')').toString();
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
