package io.drover.client.internal;

import io.drover.protocol.FrameLimits;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates task types and caches their UTF-8 bytes, so that submitting a task of a known type
 * encodes nothing. Applications use a handful of types; the cache stops growing at {@value
 * #MAX_CACHED} so that one generating type names cannot fill the heap.
 */
public final class TaskTypes {
  private static final int MAX_CACHED = 1024;

  private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

  /**
   * The UTF-8 bytes of {@code type}.
   *
   * @throws IllegalArgumentException when the type is empty or longer than {@link
   *     FrameLimits#MAX_TASK_TYPE_BYTES} bytes
   */
  public byte[] utf8(String type) {
    byte[] bytes = cache.get(type);
    if (bytes != null) {
      return bytes;
    }
    bytes = check(type);
    if (cache.size() < MAX_CACHED) {
      cache.putIfAbsent(type, bytes);
    }
    return bytes;
  }

  /**
   * The UTF-8 bytes of {@code type}, checked as every endpoint checks a task type ({@link
   * FrameLimits#taskTypeProblem}).
   *
   * @throws IllegalArgumentException when the type is empty or too long
   */
  public static byte[] check(String type) {
    byte[] bytes = type.getBytes(StandardCharsets.UTF_8);
    if (FrameLimits.taskTypeProblem(bytes.length) != null) {
      throw new IllegalArgumentException(
          "type: '" + type + "' (expected: 1-" + FrameLimits.MAX_TASK_TYPE_BYTES + " UTF-8 bytes)");
    }
    return bytes;
  }
}
