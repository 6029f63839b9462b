package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StatusPageTest {
  @Test
  void thePolicyAllowsExactlyThePagesOwnInlineStyleAndScriptAndNothingFromElsewhere() throws Exception {
    AdminResponse page = StatusPage.route().respond(new AdminRequest("/", Map.of(), new io.netty.handler.codec.http.DefaultHttpHeaders())).toCompletableFuture().get();
    String html = new String(page.body(), StandardCharsets.UTF_8);
    String csp = page.headers().get("content-security-policy");
    assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(csp).startsWith("default-src 'none'; ").contains("connect-src 'self'").doesNotContain("unsafe").doesNotContain("http");
    Matcher m = Pattern.compile("<(script|style)>(.*?)</\\1>", Pattern.DOTALL).matcher(html);
    int blocks = 0;
    while (m.find()) {
      blocks++;
      String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(m.group(2).getBytes(StandardCharsets.UTF_8)));
      assertThat(csp).contains((m.group(1).equals("style") ? "style-src" : "script-src") + " 'sha256-" + hash + "'");
    }
    assertThat(blocks).isEqualTo(2);
    // No attribute that would load or run anything the policy does not name.
    assertThat(html).doesNotContain("<script src").doesNotContain("<link rel=\"stylesheet\"").doesNotContain(" style=\"").doesNotContain(" onclick=");
    for (String url : urls(html)) {
      assertThat(url).as("every URL in the page").isEqualTo("http://www.w3.org/2000/svg");
    }
  }

  @Test
  void anUnchangedPageIsAnswered304() throws Exception {
    AdminRoute route = StatusPage.route();
    var headers = new io.netty.handler.codec.http.DefaultHttpHeaders();
    AdminResponse first = route.respond(new AdminRequest("/", Map.of(), headers)).toCompletableFuture().get();
    assertThat(first.headers()).containsEntry("cache-control", "no-cache");
    headers.set("If-None-Match", first.headers().get("etag"));
    AdminResponse again = route.respond(new AdminRequest("/", Map.of(), headers)).toCompletableFuture().get();
    assertThat(again.status().code()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  private static List<String> urls(String html) {
    return Pattern.compile("https?://[^\\s'\"<>)]+").matcher(html).results().map(r -> r.group()).toList();
  }
}
