package io.drover.worker.internal;

import io.drover.protocol.proto.Heartbeat;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a HEARTBEAT to the master at a fixed rate from a thread of its own, so a worker whose
 * handler threads are all busy still shows it is alive, while one whose process is stopped or
 * whose event loop is wedged falls silent and gets replaced.
 */
final class HeartbeatSender implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(HeartbeatSender.class);
  private static final Path STATM = Path.of("/proc/self/statm");
  private static final long PAGE_BYTES = 4096;

  private final Channel channel;
  private final IntSupplier inFlight;
  private final LongSupplier completed;
  private final ScheduledExecutorService thread;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final com.sun.management.OperatingSystemMXBean os;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private long lastCpuNanos;
  private long lastWallNanos;

  HeartbeatSender(Channel channel, int workerId, IntSupplier inFlight, LongSupplier completed) {
    this.channel = channel;
    this.inFlight = inFlight;
    this.completed = completed;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("drover-worker-" + workerId + "-heartbeat", true));
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    this.os = bean instanceof com.sun.management.OperatingSystemMXBean b ? b : null;
  }

  /** Sends one heartbeat now, then one every {@code interval}. */
  void start(Duration interval) {
    lastWallNanos = System.nanoTime();
    lastCpuNanos = cpuNanos();
    thread.scheduleAtFixedRate(this::send, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void send() {
    try {
      byte[] body = measure().toByteArray();
      int kind = WorkerEventCodec.KIND_HEARTBEAT;
      ByteBuf frame = channel.alloc().buffer(WorkerEventCodec.frameSize(kind, 0, 0, ProtoWire.EMPTY, body.length));
      WorkerEventCodec.writeFramePrefix(frame, kind, 0, 0, ProtoWire.EMPTY, body.length);
      frame.writeBytes(body);
      channel.writeAndFlush(frame, channel.voidPromise());
    } catch (RuntimeException e) {
      logger.warn("heartbeat not sent: {}", e.toString());
    }
  }

  private Heartbeat measure() {
    long wall = System.nanoTime();
    long cpu = cpuNanos();
    double load = wall > lastWallNanos && cpu >= 0 ? (double) (cpu - lastCpuNanos) / (wall - lastWallNanos) / cores : 0;
    lastWallNanos = wall;
    lastCpuNanos = cpu;
    MemoryUsage heap = memory.getHeapMemoryUsage();
    return Heartbeat.newBuilder()
        .setInFlight(Math.max(0, inFlight.getAsInt()))
        .setCpuLoad(Math.max(0, Math.min(1, load)))
        .setHeapUsedBytes(heap.getUsed())
        .setHeapMaxBytes(Math.max(0, heap.getMax()))
        .setRssBytes(rssBytes())
        .setTasksCompleted(completed.getAsLong())
        .build();
  }

  private long cpuNanos() {
    return os == null ? -1 : os.getProcessCpuTime();
  }

  private static long rssBytes() {
    try {
      String[] fields = Files.readString(STATM).trim().split("\\s+");
      return Long.parseLong(fields[1]) * PAGE_BYTES;
    } catch (Exception e) {
      return 0;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
