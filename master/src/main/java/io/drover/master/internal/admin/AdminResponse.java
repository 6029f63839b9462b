package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a route answers: a status, a content type and a body, plus any extra headers.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body's bytes
 * @param headers extra response headers ({@code Allow} for 405)
 */
public record AdminResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
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

  /** This answer with one more header. */
  public AdminResponse withHeader(String name, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new AdminResponse(status, contentType, body, Map.copyOf(more));
  }
}
