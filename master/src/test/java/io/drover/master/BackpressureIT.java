package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.master.testing.PeakInProgress;
import io.drover.master.testing.RawClient;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Clients that send far more than the workers can run: the master bounds what it holds, by
 * answering OVERLOADED at the queue bound, by pausing the sender under the pause policy, and by
 * not reading a connection that has {@code --max-in-flight-per-connection} tasks unanswered.
 * Tasks in progress are sampled continuously (and at every response where the test reads them
 * one by one), so the bounds are checked at their peak, not at a few chosen moments.
 */
class BackpressureIT {
  /**
   * Frames one read of a client's socket can hold (Netty reads at most 64 KiB at a time) plus the
   * one left incomplete by the read before: what a connection may send beyond its limit before the
   * pause takes effect.
   */
  private static long framesPerRead(int frameBytes) {
    return 64 * 1024 / frameBytes + 1;
  }

  @Test
  void aMillionTaskFloodIsAnsweredOkOrOverloadedWithBoundedQueueAndMemory() throws Exception {
    int tasks = 1_000_000;
    int maxQueued = 10_000;
    byte[] type = "echo".getBytes(StandardCharsets.UTF_8);
    byte[] payload = "x".getBytes(StandardCharsets.UTF_8);
    AtomicLong peakDirect = new AtomicLong();
    // Paranoid leak tracking records a stack trace per buffer access: far too slow for a million
    // tasks. (The leak check after the test still runs, on what this level samples.)
    ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    try (DroverMaster master =
            DroverMaster.start(
                TestMasters.config(2).maxQueuedTasks(maxQueued).maxInFlightPerConnection(50_000).build());
        PeakInProgress peak = PeakInProgress.start(master);
        RawClient reader = new RawClient(master.clientAddress())) {
      CompletableFuture<Void> writer = flood(reader.socket(), tasks, type, payload);
      long ok = 0;
      long overloaded = 0;
      long[] seen = new long[tasks / 64 + 1];
      for (int i = 0; i < tasks; i++) {
        RawClient.Response r = reader.read();
        long id = r.requestId();
        assertThat(id).isBetween(1L, (long) tasks);
        assertThat(seen[(int) (id >>> 6)] & (1L << id)).as("request %d answered twice", id).isZero();
        seen[(int) (id >>> 6)] |= 1L << id;
        if (r.status() == Status.OK_VALUE) {
          assertThat(r.body()).isEqualTo(payload);
          ok++;
        } else {
          assertThat(r.status()).isEqualTo(Status.OVERLOADED_VALUE);
          overloaded++;
        }
        if ((i & 0x3FF) == 0) {
          peakDirect.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max);
        }
      }
      writer.get(1, TimeUnit.MINUTES);
      assertThat(ok + overloaded).isEqualTo(tasks);
      assertThat(ok).isPositive();
      System.out.printf(
          "flood: %d ok, %d overloaded, peak in progress %d (%d samples), peak pooled direct %d MiB%n",
          ok, overloaded, peak.peak(), peak.samples(), peakDirect.get() >> 20);
      // The queue bound plus what the two workers may hold.
      assertThat(peak.peak()).isLessThanOrEqualTo(maxQueued + 1_000L);
      assertThat(peakDirect.get()).isLessThan(256L << 20);
      await().atMost(Duration.ofSeconds(60)).until(() -> master.tasksInProgress() == 0);
    } finally {
      ResourceLeakDetector.setLevel(leakLevel);
    }
  }

  @Test
  void aConnectionAtItsInFlightLimitIsNotReadFromAndItsSenderBacksUp() throws Exception {
    int limit = 100;
    int tasks = 16_000;
    // 4 KiB payloads: 64 MiB in all, more than the loopback socket buffers hold, so a sender the
    // master stops reading must stall; and one 64 KiB read holds only 16 of these frames.
    byte[] payload = new byte[4096];
    byte[] type = "hang".getBytes(StandardCharsets.UTF_8);
    int frameBytes = frameBytes(type, payload);
    try (DroverMaster master =
            DroverMaster.start(TestMasters.configWithDiagnostics(2).maxInFlightPerConnection(limit).build())) {
      try (RawClient raw = new RawClient(master.clientAddress())) {
        AtomicLong sent = new AtomicLong();
        CompletableFuture<Void> writer = flood(raw.socket(), tasks, type, payload, sent);
        // The hang tasks never finish, so nothing is answered and tasks in progress only grow:
        // what is seen once it stops growing is the peak.
        await().atMost(Duration.ofSeconds(30)).until(() -> master.tasksInProgress() >= limit);
        await("the master stays paused with the sender stalled")
            .during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(60))
            .until(() -> !writer.isDone() && master.tasksInProgress() <= limit + framesPerRead(frameBytes));
        long accepted = master.tasksInProgress();
        System.out.printf(
            "in-flight limit %d: %d tasks accepted, sender stalled after %d of %d frames%n",
            limit, accepted, sent.get(), tasks);
        assertThat(accepted).isBetween((long) limit, limit + framesPerRead(frameBytes));
        assertThat(sent.get()).isLessThan(tasks);
        // Reset, not close: a FIN would wait behind the megabytes the master is not reading.
        raw.socket().setSoLinger(true, 0);
      }
      // The client left: its queued tasks are dropped and its running ones cancelled.
      await().atMost(Duration.ofSeconds(30)).until(() -> master.tasksInProgress() == 0);
    }
  }

  @Test
  void aConnectionFloodingPastItsInFlightLimitIsPausedAndResumedUntilAllIsAnswered() throws Exception {
    int limit = 100;
    int tasks = 20_000;
    byte[] payload = new byte[1024];
    Arrays.fill(payload, (byte) 'p');
    byte[] type = "echo".getBytes(StandardCharsets.UTF_8);
    int frameBytes = frameBytes(type, payload);
    try (DroverMaster master =
            DroverMaster.start(TestMasters.config(2).maxInFlightPerConnection(limit).build());
        PeakInProgress peak = PeakInProgress.start(master);
        RawClient reader = new RawClient(master.clientAddress())) {
      CompletableFuture<Void> writer = flood(reader.socket(), tasks, type, payload);
      for (int i = 0; i < tasks; i++) {
        RawClient.Response r = reader.read();
        assertThat(r.status()).as("request %d: %s", r.requestId(), r.message()).isEqualTo(Status.OK_VALUE);
        assertThat(r.body()).isEqualTo(payload);
        peak.record(master.tasksInProgress());
      }
      writer.get(1, TimeUnit.MINUTES);
      System.out.printf("in-flight limit %d: %d ok, peak in progress %d (%d samples)%n",
          limit, tasks, peak.peak(), peak.samples());
      assertThat(peak.peak()).isLessThanOrEqualTo(limit + framesPerRead(frameBytes));
    }
  }

  @Test
  void withThePausePolicyAFullQueuePausesTheSenderAndNothingIsRefused() throws Exception {
    int tasks = 200_000;
    int maxQueued = 2_000;
    byte[] type = "echo".getBytes(StandardCharsets.UTF_8);
    byte[] payload = "y".getBytes(StandardCharsets.UTF_8);
    try (DroverMaster pausing =
            DroverMaster.start(
                TestMasters.config(2)
                    .maxQueuedTasks(maxQueued)
                    .maxInFlightPerConnection(1_000_000)
                    .queueFullPolicy(io.drover.master.config.QueueFullPolicy.PAUSE)
                    .build());
        PeakInProgress peak = PeakInProgress.start(pausing);
        RawClient reader = new RawClient(pausing.clientAddress())) {
      CompletableFuture<Void> writer = flood(reader.socket(), tasks, type, payload);
      for (int i = 0; i < tasks; i++) {
        RawClient.Response r = reader.read();
        assertThat(r.status()).as("request %d: %s", r.requestId(), r.message()).isEqualTo(Status.OK_VALUE);
      }
      writer.get(1, TimeUnit.MINUTES);
      System.out.printf("pause policy: %d ok, peak in progress %d (%d samples)%n", tasks, peak.peak(), peak.samples());
      // The bound, plus what one connection had already sent when it was paused (one 64 KiB read
      // of these frames), plus what the two workers hold.
      assertThat(peak.peak())
          .isLessThanOrEqualTo(maxQueued + framesPerRead(frameBytes(type, payload)) + 1_000L);
      await().atMost(Duration.ofSeconds(60)).until(() -> pausing.tasksInProgress() == 0);
    }
  }

  private static int frameBytes(byte[] type, byte[] payload) {
    ByteBuf frame = Unpooled.buffer();
    RequestHeaderCodec.writeFrame(frame, RequestHeaderCodec.KIND_SUBMIT, 1, type, payload);
    return frame.readableBytes();
  }

  private static CompletableFuture<Void> flood(Socket socket, int tasks, byte[] type, byte[] payload) {
    return flood(socket, tasks, type, payload, new AtomicLong());
  }

  /**
   * Writes {@code tasks} SUBMIT frames, ids 1..tasks, as fast as the socket takes them, counting in
   * {@code sent} the frames written so far (up to 64 KiB of them may still be in the stream's
   * buffer).
   */
  private static CompletableFuture<Void> flood(
      Socket socket, int tasks, byte[] type, byte[] payload, AtomicLong sent) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            ByteBuf frame = Unpooled.buffer(payload.length + 32);
            for (long id = 1; id <= tasks; id++) {
              frame.clear();
              RequestHeaderCodec.writeFrame(frame, RequestHeaderCodec.KIND_SUBMIT, id, type, payload);
              out.write(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
              sent.incrementAndGet();
            }
            out.flush();
          } catch (java.io.IOException e) {
            if (!socket.isClosed()) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        },
        runnable -> {
          Thread t = new Thread(runnable, "flood");
          t.setDaemon(true);
          t.start();
        });
  }
}
