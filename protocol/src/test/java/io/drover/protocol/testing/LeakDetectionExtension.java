package io.drover.protocol.testing;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaks a {@link ByteBuf}. After each test it leaks one uniquely marked sentinel
 * buffer, forces garbage collections until Netty's leak detector reports the sentinel (so every
 * buffer dropped before it has been collected and reported too) and fails on any other report.
 * Checks only at {@code -Dio.netty.leakDetection.level=paranoid}, which the build sets.
 */
public final class LeakDetectionExtension implements AfterEachCallback {
  private static final List<String> leaks = new CopyOnWriteArrayList<>();

  static {
    try {
      Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
      field.setAccessible(true);
      ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
      detector.setLeakListener((type, records) -> leaks.add(records));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      return; // sampled detection would report the sentinel only sometimes
    }
    String marker = "leak-sentinel-" + UUID.randomUUID();
    leakSentinel(marker);
    await("the leak detector reports the sentinel buffer")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              // Leaks are reported when a tracked buffer is allocated.
              PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
              return leaks.stream().anyMatch(r -> r.contains(marker));
            });
    List<String> real = leaks.stream().filter(r -> !r.contains("leak-sentinel-")).toList();
    leaks.clear();
    if (!real.isEmpty()) {
      throw new AssertionError(real.size() + " ByteBuf leak(s):\n" + String.join("\n\n", real));
    }
  }

  private static void leakSentinel(String marker) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(1);
    buf.touch(marker);
  }
}
