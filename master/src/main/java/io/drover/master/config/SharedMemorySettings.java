package io.drover.master.config;

/**
 * Large payloads through shared memory: the master's payload region and the size from which a
 * payload goes there instead of through the worker's socket (workers size their result regions
 * the same way).
 *
 * @param regionBytes the payload region's size; 0 turns shared memory off
 * @param thresholdBytes payloads (and results) this large or larger go through shared memory
 */
public record SharedMemorySettings(long regionBytes, int thresholdBytes) {
  /** The default: a 128 MiB region for payloads of 64 KiB and more. */
  public static final SharedMemorySettings DEFAULT = new SharedMemorySettings(128L << 20, 64 << 10);
  /** Shared memory off: every payload through the socket. */
  public static final SharedMemorySettings OFF = new SharedMemorySettings(0, 64 << 10);
  /** Largest region: a mapping Java can address with an int. */
  public static final long MAX_REGION_BYTES = 1L << 30;

  /** Validates the settings. */
  public SharedMemorySettings {
    if (regionBytes < 0 || regionBytes > MAX_REGION_BYTES || (regionBytes > 0 && regionBytes < (1 << 20))) {
      throw new IllegalArgumentException(
          "shmBytes: " + regionBytes + " (expected: 0 (off) or 1 MiB to " + MAX_REGION_BYTES + ")");
    }
    if (thresholdBytes < 1024) {
      throw new IllegalArgumentException("shmThresholdBytes: " + thresholdBytes + " (expected: >= 1024)");
    }
  }

  /** Whether payloads go through shared memory at all. */
  public boolean enabled() {
    return regionBytes > 0;
  }
}
