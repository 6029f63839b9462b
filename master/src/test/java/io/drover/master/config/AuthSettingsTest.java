package io.drover.master.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.master.config.TenantSettings.Priority;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {
  private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private static TenantSettings tenant(String name, String hash) {
    return new TenantSettings(name, hash, null, List.of(), 0, Priority.HIGH, 1);
  }

  @Test
  void aClientPortBeyondLoopbackNeedsTenantsOrTheWaiver() {
    assertThatCode(() -> AuthSettings.NONE.checkExposure("127.0.0.1")).doesNotThrowAnyException();
    assertThatCode(() -> AuthSettings.NONE.checkExposure("localhost")).doesNotThrowAnyException();
    assertThatCode(() -> AuthSettings.NONE.checkExposure("::1")).doesNotThrowAnyException();
    assertThatThrownBy(() -> AuthSettings.NONE.checkExposure("0.0.0.0"))
        .hasMessageStartingWith("auth: auto (expected: tenants, or --auth none")
        .hasMessageContaining("binds 0.0.0.0, beyond loopback");
    assertThatCode(() -> new AuthSettings(List.of(), true).checkExposure("0.0.0.0")).doesNotThrowAnyException();
    assertThatCode(() -> new AuthSettings(List.of(tenant("a", HASH)), false).checkExposure("0.0.0.0")).doesNotThrowAnyException();
  }

  @Test
  void theMasterRefusesToBuildSuchAConfigBeforeBindingAnything() {
    assertThatThrownBy(() -> MasterConfig.builder().host("0.0.0.0").build()).hasMessageStartingWith("auth: auto");
    assertThat(MasterConfig.builder().host("0.0.0.0").auth(new AuthSettings(List.of(), true)).build().auth().waived()).isTrue();
  }

  @Test
  void namesTokensAndSubjectsAreUniqueAndTheWaiverExcludesTenants() {
    assertThatThrownBy(() -> new AuthSettings(List.of(tenant("a", HASH), tenant("a", HASH.replace('9', '8'))), false))
        .hasMessage("tenants: a is listed twice (expected: unique names)");
    assertThatThrownBy(() -> new AuthSettings(List.of(tenant("a", HASH), tenant("b", HASH.toUpperCase())), false))
        .hasMessageContaining("b has another tenant's token-sha256");
    assertThatThrownBy(() -> new AuthSettings(List.of(tenant("a", HASH)), true)).hasMessageStartingWith("auth: none (expected: auto");
  }

  @Test
  void aTenantsFieldsAreChecked() {
    assertThatThrownBy(() -> tenant("a", "xyz")).hasMessage("tenants: a: token-sha256 is not 64 hex digits (expected: the line `drover token` prints)");
    assertThatThrownBy(() -> tenant("a b", HASH)).hasMessageStartingWith("tenants: name 'a b'");
    assertThatThrownBy(() -> tenant("a", null)).hasMessageContaining("no token-sha256 and no certificate-subject");
    assertThatThrownBy(() -> new TenantSettings("a", HASH, "not a dn", List.of(), 0, Priority.HIGH, 1))
        .hasMessageContaining("certificate-subject 'not a dn'");
    assertThatThrownBy(() -> new TenantSettings("a", HASH, null, List.of(), -1, Priority.HIGH, 1)).hasMessageContaining("max-in-flight: -1");
    assertThatThrownBy(() -> new TenantSettings("a", HASH, null, List.of(), 0, Priority.HIGH, 0)).hasMessageContaining("queue-share: 0.0");
    assertThat(new TenantSettings("a", HASH.toUpperCase(), "cn=x, o=y", List.of(), 0, Priority.HIGH, 1))
        .satisfies(t -> assertThat(t.tokenSha256()).isEqualTo(HASH))
        .satisfies(t -> assertThat(t.certificateSubject()).isEqualTo("CN=x,O=y"));
  }
}
