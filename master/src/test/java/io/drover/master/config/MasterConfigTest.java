package io.drover.master.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.FrameLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class MasterConfigTest {
  private static final List<Path> RUNTIME = List.of(Path.of("drover.jar"));

  private static MasterConfigBuilder builder() {
    return MasterConfig.builder().workerRuntimeClasspath(RUNTIME).workerClasspath(List.of());
  }

  private static void assertRejected(UnaryOperator<MasterConfigBuilder> setting, String message) {
    assertThatThrownBy(() -> setting.apply(builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void defaultsSuitASingleMachine() {
    MasterConfig c = MasterConfig.builder().build();
    assertThat(c.port()).isEqualTo(7070).isEqualTo(MasterConfig.DEFAULT_PORT);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.workerCapacity()).isEqualTo(16);
    assertThat(c.inFlightLimit()).isEqualTo(InFlightLimit.DEFAULT);
    assertThat(c.inFlightLimit().adaptive()).isTrue();
    assertThat(c.inFlightLimit().adaptiveMax()).isEqualTo(1024);
    assertThat(c.inFlightLimit().queueDelay()).isEqualTo(Duration.ofMillis(1));
    assertThat(c.maxFrameBytes()).isEqualTo(FrameLimits.DEFAULT_MAX_FRAME_BYTES);
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.workerMainClass()).isEqualTo(MasterConfig.DEFAULT_WORKER_MAIN);
    assertThat(c.workerStartTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.workerRuntimeClasspath()).isNotEmpty();
    assertThat(c.runtimeDirectoryParent()).isNull();
  }

  @Test
  void classDataArchivesGoUnderXdgCacheHomeWhenItIsSetAndAbsolute() {
    assertThat(MasterConfigBuilder.defaultClassDataDirectory("/var/cache/me", "/home/me"))
        .isEqualTo(Path.of("/var/cache/me/drover/cds"));
    assertThat(MasterConfigBuilder.defaultClassDataDirectory(null, "/home/me"))
        .isEqualTo(Path.of("/home/me/.cache/drover/cds"));
    assertThat(MasterConfigBuilder.defaultClassDataDirectory("", "/home/me"))
        .isEqualTo(Path.of("/home/me/.cache/drover/cds"));
    // The XDG base directory specification: a relative path is invalid and ignored.
    assertThat(MasterConfigBuilder.defaultClassDataDirectory("relative/cache", "/home/me"))
        .isEqualTo(Path.of("/home/me/.cache/drover/cds"));
    assertThat(MasterConfigBuilder.defaultClassDataDirectory(null, "")).isNull();
  }

  @Test
  void explicitInFlightCapTurnsTheAdaptiveLimitOff() {
    InFlightLimit l = builder().workerCapacity(3).maxInFlightPerWorker(5).build().inFlightLimit();
    assertThat(l.adaptive()).isFalse();
    assertThat(l.fixedCap()).isEqualTo(5);
    assertThat(l.settingValue()).isEqualTo("5");
    assertThat(builder().maxInFlightPerWorker(5).maxInFlightPerWorker(InFlightLimit.ADAPTIVE).build().inFlightLimit())
        .isEqualTo(InFlightLimit.DEFAULT);
  }

  @Test
  void rejectsAdaptiveSettingsOutOfRange() {
    assertRejected(
        b -> b.inFlightLimit(InFlightLimit.DEFAULT.withAdaptive(0, Duration.ofMillis(1))),
        "adaptiveInFlightMax: 0 (expected: > 0)");
    assertRejected(
        b -> b.inFlightLimit(InFlightLimit.DEFAULT.withAdaptive(10, Duration.ofNanos(1000))),
        "adaptiveQueueDelay: 1 µs (expected: 10 µs..24 d)");
  }

  @Test
  void fullWorkerClasspathPutsTheRuntimeBeforeTheHandlers() {
    MasterConfig c =
        builder().workerClasspath(List.of(Path.of("a.jar"), Path.of("b.jar"))).build();
    assertThat(c.fullWorkerClasspath())
        .containsExactly(Path.of("drover.jar"), Path.of("a.jar"), Path.of("b.jar"));
  }

  @Test
  void listsAreCopiedSoTheConfigStaysImmutable() {
    MasterConfig c = builder().workerJvmOptions(List.of("-Xmx64m")).build();
    assertThatThrownBy(() -> c.workerJvmOptions().add("-X")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.workerRuntimeClasspath().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void acceptsTheEdgesOfThePortRange() {
    assertThat(builder().port(0).build().port()).isZero();
    assertThat(builder().port(65535).build().port()).isEqualTo(65535);
  }

  @Test
  void rejectsZeroWorkers() {
    assertRejected(b -> b.workers(0), "workers: 0 (expected: 1..1024)");
    assertRejected(b -> b.workers(-2), "workers: -2 (expected: 1..1024)");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertRejected(b -> b.port(65536), "port: 65536 (expected: 0..65535)");
    assertRejected(b -> b.port(-1), "port: -1 (expected: 0..65535)");
  }

  @Test
  void rejectsANonPositiveWorkerCapacity() {
    assertRejected(b -> b.workerCapacity(0), "workerCapacity: 0 (expected: > 0)");
  }

  @Test
  void rejectsANegativeInFlightCap() {
    assertRejected(b -> b.maxInFlightPerWorker(-1), "maxInFlightPerWorker: -1 (expected: > 0)");
  }

  @Test
  void rejectsAMaxFrameBytesThatCannotHoldTheHeaderRoomTwice() {
    assertRejected(b -> b.maxFrameBytes(0), "maxFrameBytes: 0 (expected: >= 8192)");
    assertRejected(b -> b.maxFrameBytes(-5), "maxFrameBytes: -5 (expected: >= 8192)");
    assertRejected(b -> b.maxFrameBytes(100), "maxFrameBytes: 100 (expected: >= 8192)");
    // At the 4 KiB a job or a result keeps for its header, no body would fit at all.
    assertRejected(b -> b.maxFrameBytes(4096), "maxFrameBytes: 4096 (expected: >= 8192)");
    assertThat(builder().maxFrameBytes(8192).build().maxFrameBytes()).isEqualTo(8192);
  }

  @Test
  void rejectsAMaxFrameBytesWhosePrefixedLengthWouldOverflowAnInt() {
    assertRejected(
        b -> b.maxFrameBytes(Integer.MAX_VALUE), "maxFrameBytes: 2147483647 (expected: <= 1073741824)");
    assertRejected(
        b -> b.maxFrameBytes(Integer.MAX_VALUE - 4), "maxFrameBytes: 2147483643 (expected: <= 1073741824)");
    assertThat(builder().maxFrameBytes(1 << 30).build().maxFrameBytes()).isEqualTo(1 << 30);
  }

  @Test
  void rejectsAWorkerCapacityWhoseInFlightCapWouldOverflowNamingTheCapacity() {
    // 4 × capacity used to wrap to a negative in-flight cap, refused under the wrong name.
    assertRejected(
        b -> b.workerCapacity(Integer.MAX_VALUE), "workerCapacity: 2147483647 (expected: <= 10000)");
    assertRejected(b -> b.workerCapacity(1 << 29), "workerCapacity: 536870912 (expected: <= 10000)");
    assertThat(builder().workerCapacity(10_000).build().workerCapacity()).isEqualTo(10_000);
  }

  @Test
  void rejectsTaskCountsThatAJobsSubtasksCouldOverflow() {
    assertRejected(
        b -> b.maxQueuedTasks(Integer.MAX_VALUE), "maxQueuedTasks: 2147483647 (expected: <= 1073741824)");
    assertRejected(
        b -> b.maxInFlightPerConnection(Integer.MAX_VALUE),
        "maxInFlightPerConnection: 2147483647 (expected: <= 1073741824)");
    assertRejected(
        b -> b.maxInFlightPerWorker(Integer.MAX_VALUE),
        "maxInFlightPerWorker: 2147483647 (expected: <= 1073741824)");
  }

  @Test
  void rejectsQueuedBytesBeyondOnePebibyte() {
    assertRejected(
        b -> b.maxQueuedBytes(Long.MAX_VALUE),
        "maxQueuedBytes: 9223372036854775807 (expected: <= 1125899906842624)");
    assertRejected(b -> b.maxQueuedBytes(0), "maxQueuedBytes: 0 (expected: > 0)");
  }

  @Test
  void rejectsARecycleCountWhoseRandomSpreadWouldOverflow() {
    // The dispatcher recycles after n + random(n / 10 + 1) tasks.
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().maxTasksPerWorker(Long.MAX_VALUE).build()),
        "maxTasksPerWorker: 9223372036854775807 (expected: 0..1152921504606846976)");
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().maxTasksPerWorker(-1).build()),
        "maxTasksPerWorker: -1 (expected: 0..1152921504606846976)");
  }

  @Test
  void rejectsSizesInBytesBeyondOnePebibyte() {
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().maxWorkerRssBytes(Long.MAX_VALUE).build()),
        "maxWorkerRssBytes: 9223372036854775807 (expected: 0..1125899906842624)");
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().workerLogMaxBytes(Long.MAX_VALUE).build()),
        "workerLogMaxBytes: 9223372036854775807 (expected: <= 1125899906842624)");
  }

  @Test
  void rejectsDurationsWhoseNanosecondsWouldOverflow() {
    // Duration.toNanos() throws past about 292 years; 24 days also fits an int of milliseconds.
    Duration centuries = Duration.ofDays(365L * 300);
    assertRejected(b -> b.shutdownTimeout(centuries), "shutdownTimeout: 109500 d (expected: <= 24 d)");
    assertRejected(b -> b.workerStartTimeout(centuries), "workerStartTimeout: 109500 d (expected: <= 24 d)");
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().restartBackoffMax(centuries).build()),
        "restartBackoffMax: 109500 d (expected: <= 24 d)");
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().heartbeatTimeout(centuries).build()),
        "heartbeatTimeout: 109500 d (expected: <= 24 d)");
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().crashLoopWindow(Duration.ofDays(25)).build()),
        "crashLoopWindow: 25 d (expected: <= 24 d)");
  }

  @Test
  void rejectsAHeartbeatIntervalThatRoundsToZeroMillisecondsForTheWorkers() {
    assertRejected(
        b -> b.supervision(SupervisionSettings.builder().heartbeatInterval(Duration.ofNanos(1)).build()),
        "heartbeatInterval: 1 ns (expected: >= 1 ms)");
  }

  /** Both builders, built together in the property so that either may refuse a setting. */
  record Settings(MasterConfigBuilder master, SupervisionSettings.Builder supervision) {
    MasterConfig build() {
      return master.supervision(supervision.build()).build();
    }
  }

  @Provide
  Arbitrary<Settings> configs() {
    Arbitrary<SupervisionSettings.Builder> supervision =
        Combinators.combine(
                durations(), durations(), durations(), durations(), durations(), durations(), durations())
            .as(
                (backoffInitial, backoffMax, resetAfter, window, interval, timeout, grace) ->
                    SupervisionSettings.builder()
                        .restartBackoffInitial(backoffInitial)
                        .restartBackoffMax(backoffMax)
                        .restartResetAfter(resetAfter)
                        .crashLoopWindow(window)
                        // Mostly a timeout longer than the interval, as the settings require.
                        .heartbeatInterval(interval.compareTo(timeout) <= 0 ? interval : timeout)
                        .heartbeatTimeout(interval.compareTo(timeout) <= 0 ? timeout : interval)
                        .killGrace(grace))
            .flatMap(
                s ->
                    Combinators.combine(
                            longs(0, SettingChecks.MAX_TASKS_PER_WORKER),
                            longs(0, SettingChecks.MAX_BYTES),
                            longs(1, SettingChecks.MAX_BYTES))
                        .as((tasks, rss, log) -> s.maxTasksPerWorker(tasks).maxWorkerRssBytes(rss).workerLogMaxBytes(log)));
    return Combinators.combine(
            ints(1, io.drover.worker.DroverWorkerBuilder.MAX_CAPACITY),
            ints(1, SettingChecks.MAX_TASKS),
            ints(FrameLimits.MIN_MAX_FRAME_BYTES, FrameLimits.MAX_MAX_FRAME_BYTES),
            ints(1, SettingChecks.MAX_TASKS),
            longs(1, SettingChecks.MAX_BYTES),
            ints(1, SettingChecks.MAX_TASKS),
            Arbitraries.of(true, false),
            supervision)
        .as(
            (capacity, inFlight, frame, queuedTasks, queuedBytes, perConnection, explicitCap, s) -> {
              MasterConfigBuilder b =
                  builder()
                      .workerCapacity(capacity)
                      .maxFrameBytes(frame)
                      .maxQueuedTasks(queuedTasks)
                      .maxQueuedBytes(queuedBytes)
                      .maxInFlightPerConnection(perConnection);
              if (explicitCap) {
                b.maxInFlightPerWorker(inFlight);
              }
              return new Settings(b, s);
            });
  }

  /** Mostly values within {@code min..max} (edges included), sometimes any int at all. */
  private static Arbitrary<Integer> ints(int min, int max) {
    return Arbitraries.frequencyOf(
        Tuple.of(19, Arbitraries.integers().between(min, max)), Tuple.of(1, Arbitraries.integers()));
  }

  /** Mostly values within {@code min..max} (edges included), sometimes any long at all. */
  private static Arbitrary<Long> longs(long min, long max) {
    return Arbitraries.frequencyOf(
        Tuple.of(19, Arbitraries.longs().between(min, max)), Tuple.of(1, Arbitraries.longs()));
  }

  /** Mostly durations from 1 ms to 24 days, sometimes any number of nanoseconds or seconds. */
  private static Arbitrary<Duration> durations() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            38,
            Arbitraries.longs()
                .between(SettingChecks.MIN_DURATION.toNanos(), SettingChecks.MAX_DURATION.toNanos())
                .map(Duration::ofNanos)),
        Tuple.of(1, Arbitraries.longs().map(Duration::ofNanos)),
        Tuple.of(1, Arbitraries.longs().between(-Long.MAX_VALUE / 2, Long.MAX_VALUE / 2).map(Duration::ofSeconds)));
  }

  /**
   * Whatever the builder accepts, every limit the master and its workers derive from the settings
   * stays positive and free of overflow (each {@code *Exact} below throws on overflow).
   */
  @Property(tries = 1_000)
  void everyAcceptedConfigDerivesLimitsThatDoNotOverflow(@ForAll("configs") Settings settings) {
    MasterConfig c;
    try {
      c = settings.build();
    } catch (IllegalArgumentException refused) {
      Statistics.collect("refused");
      assertThat(refused.getMessage()).matches("\\w+: .+ \\(expected: .+\\)");
      return;
    }
    Statistics.collect("accepted");
    // Frames: the decoder adds a 5-byte prefix; a worker reads commands up to the frame plus the
    // header room; a result and a job gather up to the frame less the header room.
    assertThat(Math.addExact(Math.addExact(c.maxFrameBytes(), 5), FrameLimits.HEADER_HEADROOM_BYTES))
        .isPositive();
    assertThat(FrameLimits.maxResultBytes(c.maxFrameBytes())).isGreaterThanOrEqualTo(FrameLimits.HEADER_HEADROOM_BYTES);
    // Worker capacity: the worker's read pause (64×).
    assertThat(c.inFlightLimit()).isNotNull();
    assertThat(Math.multiplyExact(c.workerCapacity(), 64)).isPositive();
    // Queue bounds plus the largest job, and queued bytes plus a frame.
    assertThat(Math.addExact(c.maxQueuedTasks(), 100_000)).isPositive();
    assertThat(Math.addExact(c.maxInFlightPerConnection(), 100_000)).isPositive();
    assertThat(Math.addExact(c.maxQueuedBytes(), (long) c.maxFrameBytes())).isPositive();
    SupervisionSettings s = c.supervision();
    // The recycle spread: n + random(n / 10 + 1).
    long n = s.maxTasksPerWorker();
    assertThat(Math.addExact(n, n / 10 + 1)).isPositive();
    assertThat(Math.addExact(s.maxWorkerRssBytes(), (long) c.maxFrameBytes())).isPositive();
    assertThat(Math.addExact(s.workerLogMaxBytes(), (long) c.maxFrameBytes())).isPositive();
    for (Duration d :
        List.of(
            c.workerStartTimeout(),
            c.shutdownTimeout(),
            s.restartBackoffInitial(),
            s.restartBackoffMax(),
            s.restartResetAfter(),
            s.crashLoopWindow(),
            s.heartbeatInterval(),
            s.heartbeatTimeout(),
            s.killGrace())) {
      // Deadlines are System.nanoTime() + the duration; nanoTime's origin is arbitrary, so leave
      // at least half the range.
      assertThat(Math.addExact(Long.MAX_VALUE / 2, d.toNanos())).isPositive();
      assertThat(d.toMillis()).isPositive();
    }
    // The heartbeat interval reaches workers as an int of milliseconds.
    assertThat(Math.toIntExact(s.heartbeatInterval().toMillis())).isPositive();
  }

  @Test
  void rejectsZeroOrNegativeDurations() {
    assertRejected(b -> b.workerStartTimeout(Duration.ZERO), "workerStartTimeout: 0 s (expected: > 0)");
    assertRejected(
        b -> b.shutdownTimeout(Duration.ofSeconds(-1)), "shutdownTimeout: -1 s (expected: > 0)");
  }

  @Test
  void rejectsMissingDurationsNamingThem() {
    assertThatThrownBy(() -> builder().shutdownTimeout(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("shutdownTimeout");
  }

  @Test
  void rejectsZeroMaxAttempts() {
    assertRejected(b -> b.maxAttempts(0), "maxAttempts: 0 (expected: > 0)");
  }

  @Test
  void rejectsAnEmptyRuntimeClasspath() {
    assertRejected(
        b -> b.workerRuntimeClasspath(List.of()),
        "workerRuntimeClasspath: [] (expected: at least one entry)");
  }

  @Test
  void rejectsABlankHost() {
    assertRejected(b -> b.host(""), "host: '' (expected: a host name or address)");
  }
}
