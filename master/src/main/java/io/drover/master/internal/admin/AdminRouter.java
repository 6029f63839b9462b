package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Maps a request's path to its {@link AdminRoute}. Every route answers GET only: another method
 * gets 405 with an {@code Allow} header; an unknown path gets 404 naming the paths there are; a
 * request target that is not a path gets 400.
 */
public final class AdminRouter {
  private final Map<String, AdminRoute> routes = new LinkedHashMap<>();

  /** Serves GET {@code path} with {@code route}; returns this router. */
  public AdminRouter get(String path, AdminRoute route) {
    Objects.requireNonNull(route, "route");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: starting with '/')");
    }
    if (routes.putIfAbsent(path, route) != null) {
      throw new IllegalArgumentException("path: " + path + " (expected: not routed yet)");
    }
    return this;
  }

  /** The paths routed, in the order they were added. */
  public Set<String> paths() {
    return Collections.unmodifiableSet(routes.keySet());
  }

  /** The answer to {@code method} {@code uri}; never a failed stage for the caller's mistakes. */
  public CompletionStage<AdminResponse> route(HttpMethod method, String uri, HttpHeaders headers) {
    if (uri == null || !uri.startsWith("/")) {
      return done(AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request target: expected a path such as /status"));
    }
    QueryStringDecoder decoded;
    String path;
    try {
      decoded = new QueryStringDecoder(uri);
      path = decoded.path();
    } catch (IllegalArgumentException e) {
      return done(AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request target: " + e.getMessage()));
    }
    AdminRoute route = routes.get(path);
    if (route == null) {
      return done(
          AdminResponse.text(
              HttpResponseStatus.NOT_FOUND, "no such path: " + printable(path) + " (expected one of: " + String.join(", ", routes.keySet()) + ")"));
    }
    if (!HttpMethod.GET.equals(method)) {
      return done(
          AdminResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, printable(method.name()) + " " + path + ": method not allowed (expected: GET)")
              .withHeader(HttpHeaderNames.ALLOW.toString(), "GET"));
    }
    Map<String, java.util.List<String>> parameters;
    try {
      parameters = decoded.parameters();
    } catch (IllegalArgumentException e) {
      return done(AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad query: " + e.getMessage()));
    }
    return route.respond(new AdminRequest(path, parameters, headers));
  }

  private static CompletionStage<AdminResponse> done(AdminResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** {@code s} cut to 100 characters with control characters replaced, fit to echo in a body. */
  static String printable(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
