package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /}: the live status page, one HTML file in the jar ({@code status-page.html} beside
 * this class) with its CSS and script inline, which polls {@code /status} and {@code
 * /status/history} every second. It loads nothing from anywhere else: its Content-Security-Policy
 * allows only its own inline style and script (by their SHA-256, computed here from the file) and
 * requests to this endpoint.
 */
final class StatusPage {
  static final String RESOURCE = "status-page.html";
  static final String CONTENT_TYPE = "text/html; charset=utf-8";
  private static final Pattern INLINE = Pattern.compile("<(script|style)>(.*?)</\\1>", Pattern.DOTALL);

  private static final AdminResponse PAGE = load();

  private StatusPage() {}

  /** The route; a request whose {@code If-None-Match} names this page's ETag gets 304. */
  static AdminRoute route() {
    String etag = PAGE.headers().get(HttpHeaderNames.ETAG.toString());
    AdminResponse notModified =
        new AdminResponse(HttpResponseStatus.NOT_MODIFIED, CONTENT_TYPE, new byte[0], PAGE.headers());
    return request ->
        CompletableFuture.completedFuture(etag.equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH)) ? notModified : PAGE);
  }

  private static AdminResponse load() {
    byte[] html;
    try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the master's jar");
      }
      html = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return new AdminResponse(HttpResponseStatus.OK, CONTENT_TYPE, html, headers(html));
  }

  static Map<String, String> headers(byte[] html) {
    return Map.of(
        HttpHeaderNames.CONTENT_SECURITY_POLICY.toString(), contentSecurityPolicy(new String(html, StandardCharsets.UTF_8)),
        // Revalidate each time (a new master may serve a new page), answered 304 while unchanged.
        HttpHeaderNames.CACHE_CONTROL.toString(), "no-cache",
        HttpHeaderNames.ETAG.toString(), "\"" + base64(sha256(html)).substring(0, 22) + "\"",
        "X-Content-Type-Options", "nosniff",
        "Referrer-Policy", "no-referrer",
        HttpHeaderNames.X_FRAME_OPTIONS.toString(), "DENY");
  }

  /** Nothing from elsewhere: the page's own inline style and script, and fetches to this origin. */
  static String contentSecurityPolicy(String html) {
    List<String> styles = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    Matcher m = INLINE.matcher(html);
    while (m.find()) {
      String hash = "'sha256-" + base64(sha256(m.group(2).getBytes(StandardCharsets.UTF_8))) + "'";
      (m.group(1).equals("style") ? styles : scripts).add(hash);
    }
    return "default-src 'none'; "
        + "style-src " + (styles.isEmpty() ? "'none'" : String.join(" ", styles)) + "; "
        + "script-src " + (scripts.isEmpty() ? "'none'" : String.join(" ", scripts)) + "; "
        + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
