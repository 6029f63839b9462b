package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** Which requests the admin token lets through. */
class AdminAuthorizationTest {
  private static HttpHeaders bearer(String token) {
    return new DefaultHttpHeaders().add("Authorization", "Bearer " + token);
  }

  @Test
  void onLoopbackReadsAreOpenAndChangesNeedTheToken() {
    AdminAuthorization a = new AdminAuthorization("t0k", false);
    assertThat(a.refusal(new DefaultHttpHeaders(), false)).isNull();
    assertThat(a.refusal(new DefaultHttpHeaders(), true).status().code()).isEqualTo(401);
    assertThat(a.refusal(bearer("t0"), true).status().code()).isEqualTo(403);
    assertThat(a.refusal(bearer("t0k"), true)).isNull();
    assertThat(a.refusal(new DefaultHttpHeaders().add("Authorization", "bearer t0k"), true)).as("scheme case").isNull();
    assertThat(a.refusal(new DefaultHttpHeaders().add("Authorization", "Basic dDBr"), true).status().code()).isEqualTo(401);
  }

  @Test
  void beyondLoopbackEveryRequestNeedsTheToken() {
    AdminAuthorization a = new AdminAuthorization("t0k", true);
    assertThat(a.refusal(new DefaultHttpHeaders(), false).status().code()).isEqualTo(401);
    assertThat(a.refusal(bearer("nope"), false).status().code()).isEqualTo(403);
    assertThat(a.refusal(bearer("t0k"), false)).isNull();
  }

  @Test
  void anEmptyTokenIsRefused() {
    assertThatThrownBy(() -> new AdminAuthorization(" ", false)).hasMessage("token: empty (expected: a secret)");
  }
}
