package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a route answers: a status, a content type and a body, plus any extra headers; or, for a
 * body sent as it is produced, a {@link AdminStream} instead of the body.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body's bytes (empty when streamed)
 * @param headers extra response headers ({@code Allow} for 405)
 * @param stream what writes the body over time, or null for a body given whole
 */
public record AdminResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers, AdminStream stream) {
  /** An answer with its body whole. */
  public AdminResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, headers, null);
  }

  /** Content type of plain-text answers. */
  public static final String TEXT = "text/plain; charset=utf-8";
  /** Content type of JSON answers. */
  public static final String JSON = "application/json";

  /** A plain-text answer: {@code message} and a newline. */
  public static AdminResponse text(HttpResponseStatus status, String message) {
    return new AdminResponse(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** A JSON answer. */
  public static AdminResponse json(HttpResponseStatus status, byte[] json) {
    return new AdminResponse(status, JSON, json, Map.of());
  }

  /** A 200 answer whose body {@code stream} writes as it comes (chunked), in {@code contentType}. */
  public static AdminResponse streamed(String contentType, AdminStream stream) {
    return new AdminResponse(HttpResponseStatus.OK, contentType, new byte[0], Map.of(), java.util.Objects.requireNonNull(stream, "stream"));
  }

  /** This answer with one more header. */
  public AdminResponse withHeader(String name, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new AdminResponse(status, contentType, body, Map.copyOf(more), stream);
  }
}
