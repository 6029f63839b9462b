package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.SettingKeys;
import io.drover.master.config.TenantSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Tenants in the configuration file and on the command line, as {@code drover master} reads them. */
class TenantsConfigTest {
  private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path dir;

  private Path file(String name, String yaml) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  private MasterCommand.Effective withFile(String yaml, String... more) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("--config", file("drover.yaml", yaml).toString()));
    args.addAll(List.of(more));
    return ConfigCommand.master(args);
  }

  private String refusal(String yaml, String... more) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> withFile(yaml, more));
    assertThat(t).isInstanceOf(CommandLine.ParameterException.class);
    return t.getMessage().replace(dir.resolve("drover.yaml").toString(), "drover.yaml");
  }

  @Test
  void tenantsInTheFileReachTheSettingsAndShowWithoutTheirHashes() throws IOException {
    MasterConfig c =
        withFile(
                """
                tenants:
                  - name: analytics
                    token-sha256: %s
                    task-types: [echo, sha256]
                    max-in-flight: 100
                    max-priority: normal
                    queue-share: 0.25
                  - name: reports
                    certificate-subject: "CN=reports"
                """
                    .formatted(HASH.toUpperCase()))
            .config();
    List<TenantSettings> t = c.auth().tenants();
    assertThat(t).extracting(TenantSettings::name).containsExactly("analytics", "reports");
    assertThat(t.get(0).tokenSha256()).isEqualTo(HASH);
    assertThat(t.get(0).taskTypes()).containsExactly("echo", "sha256");
    assertThat(t.get(0).maxInFlight()).isEqualTo(100);
    assertThat(t.get(0).maxPriority()).isEqualTo(TenantSettings.Priority.NORMAL);
    assertThat(t.get(0).queueShare()).isEqualTo(0.25);
    assertThat(t.get(1).certificateSubject()).isEqualTo("CN=reports");
    String shown = SettingKeys.values(c).get("tenants");
    assertThat(shown)
        .isEqualTo("analytics (token, task types echo,sha256, max in flight 100, max priority normal, queue share 0.25); reports (certificate CN=reports)")
        .doesNotContain(HASH);
  }

  @Test
  void badTenantsAreRefusedWithTheFileLineTenantAndKey() {
    assertThat(refusal("tenants:\n  - name: a\n    token-sha256: abc\n"))
        .contains("drover.yaml:1: tenants: a: token-sha256 is not 64 hex digits");
    assertThat(refusal("tenants:\n  - name: a\n    token: secret\n"))
        .contains("drover.yaml:1: tenants: a: token is not a tenant setting");
    assertThat(refusal("tenants:\n  - name: a\n    token-sha256: " + HASH + "\n    max-inflight: 3\n"))
        .contains("max-inflight is not a tenant setting");
    assertThat(refusal("tenants:\n  - token-sha256: " + HASH + "\n")).contains("tenants: item 1: no name");
    assertThat(refusal("tenants:\n  - name: a\n    token-sha256: " + HASH + "\n  - name: a\n    token-sha256: " + HASH.replace('9', '1') + "\n"))
        .contains("drover.yaml:1: tenants: a is listed twice");
    assertThat(refusal("tenants: {name: a}\n")).contains("tenants: not a list");
    assertThat(refusal("host: 0.0.0.0\n")).contains("auth: auto (expected: tenants, or --auth none");
  }

  @Test
  void theWaiverAndATenantsFileOnTheCommandLine() throws IOException {
    assertThat(withFile("host: 0.0.0.0\nauth: none\n").config().auth().waived()).isTrue();
    Path tenants = file("tenants.yaml", "- name: cli\n  token-sha256: " + HASH + "\n");
    MasterConfig c = ConfigCommand.master(List.of("--host", "0.0.0.0", "--tenants", tenants.toString())).config();
    assertThat(c.auth().tenants()).extracting(TenantSettings::name).containsExactly("cli");
    assertThat(c.auth().required()).isTrue();
  }
}
