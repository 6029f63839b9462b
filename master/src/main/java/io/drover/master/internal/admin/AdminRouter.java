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
 * Maps a request's method and path to its {@link AdminRoute}. GET routes read; POST routes change
 * the master and need its token ({@link AdminAuthorization}). A method a path does not take gets
 * 405 with an {@code Allow} header; an unknown path gets 404 naming the paths there are; a request
 * target that is not a path gets 400.
 */
public final class AdminRouter {
  private final Map<String, Map<HttpMethod, AdminRoute>> routes = new LinkedHashMap<>();
  private AdminAuthorization authorization;

  /** Serves GET {@code path} with {@code route}; returns this router. */
  public AdminRouter get(String path, AdminRoute route) {
    return add(HttpMethod.GET, path, route);
  }

  /** Serves POST {@code path}, which changes the master, with {@code route}; returns this router. */
  public AdminRouter post(String path, AdminRoute route) {
    return add(HttpMethod.POST, path, route);
  }

  /** Checks requests with {@code authorization}; without one, POST routes are refused (403). */
  public AdminRouter authorization(AdminAuthorization authorization) {
    this.authorization = authorization;
    return this;
  }

  private AdminRouter add(HttpMethod method, String path, AdminRoute route) {
    Objects.requireNonNull(route, "route");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: starting with '/')");
    }
    if (routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(method, route) != null) {
      throw new IllegalArgumentException("path: " + path + " (expected: not routed yet for " + method + ")");
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
    Map<HttpMethod, AdminRoute> byMethod = routes.get(path);
    if (byMethod == null) {
      return done(
          AdminResponse.text(
              HttpResponseStatus.NOT_FOUND, "no such path: " + printable(path) + " (expected one of: " + String.join(", ", routes.keySet()) + ")"));
    }
    AdminRoute route = byMethod.get(method);
    if (route == null) {
      String allowed = String.join(", ", byMethod.keySet().stream().map(HttpMethod::name).toList());
      return done(
          AdminResponse.text(
                  HttpResponseStatus.METHOD_NOT_ALLOWED,
                  printable(method.name()) + " " + path + ": method not allowed (expected: " + allowed + ")")
              .withHeader(HttpHeaderNames.ALLOW.toString(), allowed));
    }
    boolean changes = !HttpMethod.GET.equals(method);
    if (authorization == null && changes) {
      return done(AdminResponse.text(HttpResponseStatus.FORBIDDEN, method.name() + " " + path + ": this master takes no admin changes"));
    }
    AdminResponse refused = authorization == null ? null : authorization.refusal(headers, changes);
    if (refused != null) {
      return done(refused);
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
