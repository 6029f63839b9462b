package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.SchedulerKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code drover master --config FILE}, {@code drover config check} and {@code config show}, in-process. */
class ConfigFileTest {
  @TempDir Path dir;

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("drover.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private static MasterCommand.Effective master(String... args) {
    return ConfigCommand.master(List.of(args));
  }

  private MasterCommand.Effective withFile(String yaml, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("--config", file(yaml).toString()));
    args.addAll(List.of(more));
    return master(args.toArray(String[]::new));
  }

  private String refusal(String yaml) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> withFile(yaml));
    assertThat(t).isInstanceOf(CommandLine.ParameterException.class);
    return t.getMessage().replace(dir.resolve("drover.yaml").toString(), "drover.yaml");
  }

  @Test
  void everyKindOfValueReachesTheSettings() throws IOException {
    MasterConfig c =
        withFile(
                """
                # comments are fine
                workers: 3
                scheduler: round-robin
                max-queued-mib: 64
                heartbeat-timeout: 10s
                restart-backoff-initial: 250ms
                crash-loop-window: 2m
                kill-grace: 1.5
                worker-jvm-opt: [-Xmx256m, -XX:+UseSerialGC]
                worker-classpath: a.jar:b.jar
                worker-env:
                  APP_MODE: prod
                  LEVEL: 3
                no-admin: true
                keep-waiting-for-workers: true
                """)
            .config();
    assertThat(c.workers()).isEqualTo(3);
    assertThat(c.scheduler()).isEqualTo(SchedulerKind.ROUND_ROBIN);
    assertThat(c.maxQueuedBytes()).isEqualTo(64L << 20);
    assertThat(c.supervision().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.supervision().restartBackoffInitial()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.supervision().crashLoopWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.supervision().killGrace()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.workerJvmOptions()).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
    assertThat(c.workerClasspath()).containsExactly(Path.of("a.jar"), Path.of("b.jar"));
    assertThat(c.supervision().workerEnvironment()).isEqualTo(Map.of("APP_MODE", "prod", "LEVEL", "3"));
    assertThat(c.adminEnabled()).isFalse();
    assertThat(c.keepWaitingForWorkers()).isTrue();
  }

  @Test
  void aSectionStandsForTheKeysItPrefixes() throws IOException {
    MasterConfig c = withFile("workers: 2\nautoscale:\n  max: 4\n  min: 2\n  up-window: 3s\n").config();
    assertThat(c.autoscale().max()).isEqualTo(4);
    assertThat(c.autoscale().min()).isEqualTo(2);
    assertThat(c.autoscale().upWindow()).isEqualTo(Duration.ofSeconds(3));
    assertThat(refusal("autoscale:\n  max: 4\n  mimn: 2\n"))
        .isEqualTo("drover.yaml:3: autoscale-mimn is not a setting (did you mean autoscale-min?)");
    assertThat(refusal("workers: 8\nautoscale:\n  max: 4\n"))
        .isEqualTo("drover.yaml:1: workers: 8 (expected: autoscale-min..autoscale-max, 1..4, while autoscaling)");
    // worker-env takes a mapping itself: not a section.
    assertThat(withFile("worker-env:\n  A: b\n").config().supervision().workerEnvironment()).containsEntry("A", "b");
  }

  @Test
  void logLevelsAreAMappingAndABadLevelIsRefused() throws IOException {
    assertThat(withFile("log-level:\n  ROOT: warn\n  io.drover: DEBUG\n").config().logLevels())
        .isEqualTo(Map.of("ROOT", "warn", "io.drover", "DEBUG"));
    assertThat(refusal("log-level:\n  io.drover: LOUD\n"))
        .isEqualTo("drover.yaml:1: log-level: io.drover=LOUD (expected: LOGGER=LEVEL, the level one of TRACE, DEBUG, INFO, WARN, ERROR, OFF)");
  }

  @Test
  void theCommandLineOverridesTheFileAndSaysSo() throws IOException {
    MasterCommand.Effective e = withFile("workers: 3\nport: 7300\n", "--workers", "5");
    assertThat(e.config().workers()).isEqualTo(5);
    assertThat(e.config().port()).isEqualTo(7300);
    String f = dir.resolve("drover.yaml").toString();
    assertThat(e.sources().sources())
        .containsEntry("workers", "command line, over " + f + ":1")
        .containsEntry("port", f + ":2")
        .containsEntry("config", "command line");
  }

  @Test
  void anEmptyFileSetsNothing() throws IOException {
    assertThat(withFile("").config()).isEqualTo(master().config());
    assertThat(withFile("# nothing yet\n").config()).isEqualTo(master().config());
  }

  @Test
  void aTypoIsRefusedWithTheClosestKey() {
    assertThat(refusal("workers: 2\nmax-queue-tasks: 5\n"))
        .isEqualTo("drover.yaml:2: max-queue-tasks is not a setting (did you mean max-queued-tasks?)");
    assertThat(refusal("wokrers: 2\n")).isEqualTo("drover.yaml:1: wokrers is not a setting (did you mean workers?)");
    assertThat(refusal("colour: blue\n")).isEqualTo("drover.yaml:1: colour is not a setting");
    // Not settings, even though they are options.
    assertThat(refusal("help: true\n")).startsWith("drover.yaml:1: help is not a setting");
    assertThat(refusal("config: other.yaml\n")).startsWith("drover.yaml:1: config is not a setting");
  }

  @Test
  void everyWrongTypeIsReportedAtOnceWithItsLine() {
    assertThat(refusal("workers: many\nport: 1.5\nheartbeat-timeout: soon\ninline: yes please\nworker-env: [a]\n").split("\n"))
        .containsExactly(
            "drover.yaml:1: workers: many (expected: an integer)",
            "drover.yaml:2: port: 1.5 (expected: an integer)",
            "drover.yaml:3: heartbeat-timeout: soon (expected: a number of seconds or a duration such as 500ms, 30s, 5m)",
            "drover.yaml:4: inline: yes please (expected: true or false)",
            "drover.yaml:5: worker-env: a list (expected: a mapping of NAME: value)");
    assertThat(refusal("workers:\n")).isEqualTo("drover.yaml:1: workers: no value (expected: an integer)");
  }

  @Test
  void anOutOfRangeValueNamesTheFileLineAndRange() {
    assertThat(refusal("port: 70\nworkers: 0\n")).isEqualTo("drover.yaml:2: workers: 0 (expected: 1..1024)");
    assertThat(refusal("max-queued-mib: 0\n")).isEqualTo("drover.yaml:1: max-queued-mib: 0 (expected: 1..1073741824)");
    assertThat(refusal("heartbeat-interval: 10s\nheartbeat-timeout: 5s\n"))
        .startsWith("drover.yaml:2: heartbeat-timeout: 5 s (expected: > ");
  }

  @Test
  void aRangeErrorOfAFlagIsStillTheFlags() throws IOException {
    file("workers: 2\n");
    assertThatThrownBy(() -> master("--config", dir.resolve("drover.yaml").toString(), "--workers", "0"))
        .hasMessage("--workers: 0 (expected: 1..1024)");
  }

  @Test
  void aFileThatIsNotAMappingOrNotYamlIsRefusedWithItsLine() {
    assertThat(refusal("- workers\n- 2\n")).isEqualTo("drover.yaml:1: expected a mapping of settings (key: value), found a list");
    assertThat(refusal("workers: 2\nworkers: 3\n")).isEqualTo("drover.yaml:2: workers is set twice (first on line 1)");
    assertThat(refusal("workers: [2\n")).startsWith("drover.yaml:").contains("not valid YAML");
    assertThat(refusal("workers: 2\n---\nworkers: 3\n")).contains("only one YAML document");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> master("--config", dir.resolve("nope.yaml").toString()))
        .hasMessage(dir.resolve("nope.yaml") + ": no such file");
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CliErrors.install(new CommandLine(DroverCli.class));
    cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void configCheckExitsZeroForAValidFileAndOneWithEveryProblem() throws IOException {
    String[] ok = run("config", "check", file("workers: 2\nscheduler: p2c\n").toString());
    assertThat(ok[0]).isEqualTo("0");
    assertThat(ok[1]).contains("valid (2 settings)");
    String[] bad = run("config", "check", file("workers: x\nwokrers: 2\n").toString());
    assertThat(bad[0]).isEqualTo("1");
    assertThat(bad[2].lines())
        .hasSize(2)
        .allMatch(l -> l.startsWith("drover config check: " + dir.resolve("drover.yaml") + ":"));
  }

  @Test
  void configShowListsEverySettingWithWhereItCameFrom() throws IOException {
    Path f = file("workers: 3\nscheduler: p2c\n");
    String[] shown = run("config", "show", "--config", f.toString(), "--workers", "4", "--port", "7301");
    assertThat(shown[0]).as(shown[2]).isEqualTo("0");
    List<String> lines = shown[1].lines().toList();
    assertThat(lines.get(0)).matches("SETTING +VALUE +FROM");
    assertThat(lines).anyMatch(l -> l.matches("workers +4 +command line, over " + java.util.regex.Pattern.quote(f + ":1")));
    assertThat(lines).anyMatch(l -> l.matches("scheduler +p2c +" + java.util.regex.Pattern.quote(f + ":2")));
    assertThat(lines).anyMatch(l -> l.matches("port +7301 +command line"));
    assertThat(lines).anyMatch(l -> l.matches("max-attempts +3 +default"));
    // Every setting, one line each, after the heading.
    assertThat(lines).hasSize(io.drover.master.config.SettingKeys.values(master().config()).size() + 1);
  }

  @Test
  void configShowRefusesABadMasterOptionAsAUsageError() {
    String[] shown = run("config", "show", "--workers", "0");
    assertThat(shown[0]).isEqualTo("2");
    assertThat(shown[2]).contains("--workers: 0 (expected: 1..1024)");
  }

  @Test
  void everySettingKeyIsAMasterOptionAndEveryMasterOptionASettingKey() {
    CommandLine cl = new CommandLine(new MasterCommand());
    List<String> optionKeys = new ArrayList<>();
    for (var o : cl.getCommandSpec().options()) {
      if (!FileSettings.NOT_SETTINGS.contains(FileSettings.key(o))) {
        optionKeys.add(FileSettings.key(o));
      }
    }
    assertThat(io.drover.master.config.SettingKeys.values(master().config()).keySet()).containsExactlyInAnyOrderElementsOf(optionKeys);
  }
}
