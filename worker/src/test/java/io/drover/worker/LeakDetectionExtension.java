package io.drover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaks a {@code ByteBuf}. Registered for every test through JUnit's extension
 * auto-detection, so its factory is installed before Netty creates its leak detectors; the
 * surefire configuration sets the {@code paranoid} level, which tracks every buffer.
 */
public final class LeakDetectionExtension implements AfterEachCallback {
  private static final List<String> leaks = new ArrayList<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
        new ResourceLeakDetectorFactory() {
          @Override
          @SuppressWarnings("deprecation") // the abstract method every factory must implement
          public <T> ResourceLeakDetector<T> newResourceLeakDetector(
              Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
              @Override
              protected void reportTracedLeak(String resourceType, String records) {
                record(resourceType + records);
                super.reportTracedLeak(resourceType, records);
              }

              @Override
              protected void reportUntracedLeak(String resourceType) {
                record(resourceType);
                super.reportUntracedLeak(resourceType);
              }
            };
          }
        });
  }

  private static void record(String leak) {
    synchronized (leaks) {
      leaks.add(leak);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    // Leaks are reported when a tracked buffer is allocated after the leaked one was collected.
    for (int i = 0; i < 5; i++) {
      System.gc();
      for (ByteBufAllocator alloc :
          List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT)) {
        alloc.buffer(1).release();
        alloc.directBuffer(1).release();
        alloc.heapBuffer(1).release();
      }
    }
    List<String> found;
    synchronized (leaks) {
      found = new ArrayList<>(leaks);
      leaks.clear();
    }
    assertThat(found).as("ByteBuf leaks").isEmpty();
  }
}
