package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * A GET request as a route sees it, copied out of Netty's message so that a route may keep it
 * past the handler's read without holding a reference-counted buffer.
 *
 * @param path the decoded path, without the query
 * @param parameters the query's parameters
 * @param headers the request's headers (a copy)
 */
public record AdminRequest(String path, Map<String, List<String>> parameters, HttpHeaders headers) {

  /** The first value of query parameter {@code name}, or null. */
  public String parameter(String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
