package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.master.testing.RawClient;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client floods the master with a million small tasks, far faster than two workers can run
 * them, against a queue bound of 10,000: the master answers what it cannot queue with OVERLOADED,
 * stops reading the connection while it has too many tasks in flight, keeps its memory bounded,
 * and answers every task it accepted.
 */
class BackpressureIT {
  private static final int TASKS = 1_000_000;
  private static final int MAX_QUEUED = 10_000;
  private static final int MAX_IN_FLIGHT_PER_CONNECTION = 50_000;
  private static ResourceLeakDetector.Level leakLevel;
  private static DroverMaster master;

  @BeforeAll
  static void start() throws Exception {
    // Paranoid leak tracking records a stack trace per buffer: far too slow for a million tasks.
    leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    master =
        DroverMaster.start(
            TestMasters.config(2)
                .maxQueuedTasks(MAX_QUEUED)
                .maxInFlightPerConnection(MAX_IN_FLIGHT_PER_CONNECTION)
                .build());
  }

  @AfterAll
  static void stop() {
    if (master != null) {
      master.close();
    }
    ResourceLeakDetector.setLevel(leakLevel);
  }

  @Test
  void aMillionTaskFloodIsAnsweredOkOrOverloadedWithBoundedQueueAndMemory() throws Exception {
    byte[] type = "echo".getBytes(StandardCharsets.UTF_8);
    byte[] payload = "x".getBytes(StandardCharsets.UTF_8);
    AtomicLong peakInProgress = new AtomicLong();
    AtomicLong peakDirect = new AtomicLong();
    try (RawClient reader = new RawClient(master.clientAddress())) {
      Socket socket = reader.socket();
      CompletableFuture<Void> writer = flood(socket, TASKS, type, payload);
      long ok = 0;
      long overloaded = 0;
      long[] seen = new long[TASKS / 64 + 1];
      for (int i = 0; i < TASKS; i++) {
        RawClient.Response r = reader.read();
        long id = r.requestId();
        assertThat(id).isBetween(1L, (long) TASKS);
        assertThat(seen[(int) (id >>> 6)] & (1L << id)).as("request %d answered twice", id).isZero();
        seen[(int) (id >>> 6)] |= 1L << id;
        if (r.status() == Status.OK_VALUE) {
          assertThat(r.body()).isEqualTo(payload);
          ok++;
        } else {
          assertThat(r.status()).isEqualTo(Status.OVERLOADED_VALUE);
          overloaded++;
        }
        if ((i & 0xFFFF) == 0) {
          peakInProgress.accumulateAndGet(master.tasksInProgress(), Math::max);
          peakDirect.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max);
        }
      }
      writer.get(1, TimeUnit.MINUTES);
      assertThat(ok + overloaded).isEqualTo(TASKS);
      assertThat(ok).isPositive();
      System.out.printf("flood: %d ok, %d overloaded, peak in progress %d, peak pooled direct %d MiB%n",
          ok, overloaded, peakInProgress.get(), peakDirect.get() >> 20);
    }
    // The queue bound plus what the two workers may hold.
    assertThat(peakInProgress.get()).isLessThanOrEqualTo(MAX_QUEUED + 1_000L);
    assertThat(peakDirect.get()).isLessThan(256L << 20);
    assertThat(master.tasksInProgress()).isZero();
  }

  @Test
  void withThePausePolicyAFullQueuePausesTheSenderAndNothingIsRefused() throws Exception {
    int tasks = 200_000;
    int maxQueued = 2_000;
    byte[] type = "echo".getBytes(StandardCharsets.UTF_8);
    byte[] payload = "y".getBytes(StandardCharsets.UTF_8);
    AtomicLong peakInProgress = new AtomicLong();
    try (DroverMaster pausing =
            DroverMaster.start(
                TestMasters.config(2)
                    .maxQueuedTasks(maxQueued)
                    .maxInFlightPerConnection(1_000_000)
                    .queueFullPolicy(io.drover.master.config.QueueFullPolicy.PAUSE)
                    .build());
        RawClient reader = new RawClient(pausing.clientAddress())) {
      Socket socket = reader.socket();
      CompletableFuture<Void> writer = flood(socket, tasks, type, payload);
      for (int i = 0; i < tasks; i++) {
        RawClient.Response r = reader.read();
        assertThat(r.status()).as("request %d: %s", r.requestId(), r.message()).isEqualTo(Status.OK_VALUE);
        if ((i & 0x3FF) == 0) {
          peakInProgress.accumulateAndGet(pausing.tasksInProgress(), Math::max);
        }
      }
      writer.get(1, TimeUnit.MINUTES);
      System.out.printf("pause policy: %d ok, peak in progress %d%n", tasks, peakInProgress.get());
      // The bound, plus what one connection had already sent when it was paused (at most one
      // 64 KiB read of 12-byte frames), plus what the two workers hold.
      assertThat(peakInProgress.get()).isLessThanOrEqualTo(maxQueued + 6_000L + 1_000L);
      await().atMost(java.time.Duration.ofSeconds(10)).until(() -> pausing.tasksInProgress() == 0);
    }
  }

  /** Writes {@code tasks} SUBMIT frames, ids 1..tasks, as fast as the socket takes them. */
  private static CompletableFuture<Void> flood(Socket socket, int tasks, byte[] type, byte[] payload) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            ByteBuf frame = Unpooled.buffer(32);
            for (long id = 1; id <= tasks; id++) {
              frame.clear();
              RequestHeaderCodec.writeFrame(frame, RequestHeaderCodec.KIND_SUBMIT, id, type, payload);
              out.write(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
            }
            out.flush();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
