package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AdminRouterTest {
  private final AdminRouter router =
      new AdminRouter()
          .get("/healthz", ProbeRoutes::health)
          .get("/echo", r -> CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.OK, r.path() + " n=" + r.parameter("n"))));

  private AdminResponse answer(HttpMethod method, String uri) {
    return router.route(method, uri, new DefaultHttpHeaders()).toCompletableFuture().join();
  }

  private static String body(AdminResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void aGetOfARoutedPathReachesItsRouteWithItsQuery() {
    AdminResponse r = answer(HttpMethod.GET, "/echo?n=3");
    assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(body(r)).isEqualTo("/echo n=3\n");
  }

  @Test
  void healthzSaysOk() {
    AdminResponse r = answer(HttpMethod.GET, "/healthz");
    assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(body(r)).isEqualTo("ok\n");
    assertThat(r.contentType()).isEqualTo(AdminResponse.TEXT);
  }

  @Test
  void anUnknownPathIs404NamingThePathsThereAre() {
    AdminResponse r = answer(HttpMethod.GET, "/nope");
    assertThat(r.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(body(r)).isEqualTo("no such path: /nope (expected one of: /healthz, /echo)\n");
  }

  @Test
  void anotherMethodIs405WithAnAllowHeader() {
    for (HttpMethod m : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.HEAD}) {
      AdminResponse r = answer(m, "/healthz");
      assertThat(r.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
      assertThat(r.headers()).containsEntry("allow", "GET");
      assertThat(body(r)).isEqualTo(m.name() + " /healthz: method not allowed (expected: GET)\n");
    }
  }

  @Test
  void aTargetThatIsNotAPathIs400() {
    assertThat(answer(HttpMethod.GET, "http://example.com/status").status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(answer(HttpMethod.GET, "*").status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(answer(HttpMethod.GET, "/echo?n=%zz").status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void anEchoedPathIsCutAndHasNoControlCharacters() {
    String body = body(answer(HttpMethod.GET, "/" + "a".repeat(500) + "%0d%0aX-Injected:%20yes"));
    assertThat(body).hasSizeLessThan(200).doesNotContain("\r");
  }

  @Test
  void aPathIsRoutedOnceAndMustBeAPath() {
    assertThatThrownBy(() -> router.get("/healthz", ProbeRoutes::health))
        .hasMessage("path: /healthz (expected: not routed yet for GET)");
    assertThatThrownBy(() -> router.get("metrics", ProbeRoutes::health))
        .hasMessage("path: metrics (expected: starting with '/')");
  }
}
