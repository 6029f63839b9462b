package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.TaskStatus;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.drover.master.testing.RawClient;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.wire.WorkerEventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each kind of bad input gets a clear status on the wire and disturbs nobody else: a background
 * client keeps running echo tasks through every test and must see every one succeed.
 */
@ExtendWith(LeakDetectionExtension.class)
class BadInputIT {
  private static final int MAX_FRAME = 64 * 1024;
  private static DroverMaster master;

  @BeforeAll
  static void startMaster() throws Exception {
    master = DroverMaster.start(TestMasters.config(2).maxFrameBytes(MAX_FRAME).build());
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  private static DroverClient client() {
    return DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
  }

  /** Runs {@code n} echo tasks on its own connection while {@code disturbance} runs. */
  private static void whileOthersWork(ThrowingRunnable disturbance) throws Exception {
    try (DroverClient bystander = client()) {
      List<CompletableFuture<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        results.add(bystander.submit("echo", ("b" + i).getBytes(StandardCharsets.UTF_8)));
      }
      disturbance.run();
      for (int i = 0; i < 500; i++) {
        results.add(bystander.submit("echo", ("a" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < results.size(); i++) {
        String expected = (i < 500 ? "b" + i : "a" + (i - 500));
        assertThat(new String(results.get(i).get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8))
            .isEqualTo(expected);
      }
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void frameLongerThanTheMaximumGetsFrameTooLargeAndOnlyThatConnectionCloses() throws Exception {
    whileOthersWork(
        () -> {
          try (RawClient raw = new RawClient(master.clientAddress())) {
            raw.write(RawClient.varint(MAX_FRAME + 1)); // the prefix alone is enough
            RawClient.Response r = raw.read();
            assertThat(r.requestId()).isZero();
            assertThat(r.status()).isEqualTo(Status.FRAME_TOO_LARGE_VALUE);
            assertThat(r.message())
                .isEqualTo(
                    "frame of 65537 bytes (64 KiB) exceeds the maximum frame of 64 KiB (65536 bytes); the master's"
                        + " --max-frame-bytes (at most 1 GiB) can raise it");
            assertThat(raw.closedByPeer()).isTrue();
          }
        });
  }

  @Test
  void lengthPrefixLongerThanFiveBytesGetsMalformedFrameAndCloses() throws Exception {
    whileOthersWork(
        () -> {
          try (RawClient raw = new RawClient(master.clientAddress())) {
            raw.write(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
            RawClient.Response r = raw.read();
            assertThat(r.status()).isEqualTo(Status.MALFORMED_FRAME_VALUE);
            assertThat(raw.closedByPeer()).isTrue();
          }
        });
  }

  @Test
  void frameThatIsNotAValidHeaderGetsMalformedFrameAndTheConnectionStaysUsable() throws Exception {
    whileOthersWork(
        () -> {
          try (RawClient raw = new RawClient(master.clientAddress())) {
            // Header length 5 but only 2 bytes follow inside the frame.
            raw.frame(new byte[] {5, 0x08, 0x00});
            RawClient.Response r = raw.read();
            assertThat(r.requestId()).isZero();
            assertThat(r.status()).isEqualTo(Status.MALFORMED_FRAME_VALUE);
            assertThat(r.message()).contains("header length");
            // Garbage inside a well-framed header: wire type 7 is invalid.
            raw.frame(new byte[] {1, 0x0F});
            assertThat(raw.read().status()).isEqualTo(Status.MALFORMED_FRAME_VALUE);
            // Framing is intact, so the same connection still works.
            raw.submit(7, "echo", "still here".getBytes(StandardCharsets.UTF_8));
            RawClient.Response ok = raw.read();
            assertThat(ok.requestId()).isEqualTo(7);
            assertThat(ok.status()).isEqualTo(Status.OK_VALUE);
            assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo("still here");
          }
        });
  }

  @Test
  void unknownTaskTypeGetsUnknownTaskTypeNamingIt() throws Exception {
    whileOthersWork(
        () -> {
          try (DroverClient c = client()) {
            assertThatThrownBy(() -> c.submit("no-such-type", new byte[0]).get())
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                    DroverTaskException.class,
                    e -> {
                      assertThat(e.status()).isEqualTo(TaskStatus.UNKNOWN_TASK_TYPE);
                      assertThat(e.detail()).contains("no-such-type").contains("echo");
                    });
          }
        });
  }

  @Test
  void aJobWhoseBodyIsNotAJobRequestGetsInvalidRequestAndTheConnectionStaysUsable() throws Exception {
    whileOthersWork(
        () -> {
          try (RawClient raw = new RawClient(master.clientAddress())) {
            // Field 1 (subtasks) claims 100 bytes; 2 follow.
            raw.job(11, "echo", new byte[] {0x0A, 100, 0x12, 0x00});
            RawClient.Response r = raw.read();
            assertThat(r.requestId()).isEqualTo(11);
            assertThat(r.status()).isEqualTo(Status.INVALID_REQUEST_VALUE);
            assertThat(r.message()).contains("not a valid JobRequest");
            // A subtask with neither a type of its own nor a default one.
            byte[] noType =
                io.drover.protocol.proto.JobRequest.newBuilder()
                    .addSubtasks(io.drover.protocol.proto.Subtask.newBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8("x")))
                    .addSubtasks(io.drover.protocol.proto.Subtask.newBuilder().setTaskType("echo").setPayload(com.google.protobuf.ByteString.copyFromUtf8("y")))
                    .build()
                    .toByteArray();
            raw.job(12, "", noType);
            RawClient.Response job = raw.read();
            assertThat(job.requestId()).isEqualTo(12);
            assertThat(job.status()).isEqualTo(Status.SUBTASK_FAILED_VALUE);
            io.drover.protocol.proto.JobResult result = io.drover.protocol.proto.JobResult.parseFrom(job.body());
            assertThat(result.getSubtasks(0).getStatus()).isEqualTo(Status.INVALID_REQUEST);
            assertThat(result.getSubtasks(0).getMessage()).contains("task_type is empty");
            assertThat(result.getSubtasks(1).getStatus()).isEqualTo(Status.OK);
            assertThat(result.getSubtasks(1).getBody().toStringUtf8()).isEqualTo("y");
          }
        });
  }

  @Test
  void emptyTaskTypeGetsInvalidRequest() throws Exception {
    try (RawClient raw = new RawClient(master.clientAddress())) {
      raw.submit(3, "", new byte[0]);
      RawClient.Response r = raw.read();
      assertThat(r.requestId()).isEqualTo(3);
      assertThat(r.status()).isEqualTo(Status.INVALID_REQUEST_VALUE);
    }
  }

  @Test
  void handlerExceptionGetsHandlerErrorWithItsMessageAndTheWorkerStaysUp() throws Exception {
    List<Long> pids = master.workerPids();
    try (DroverClient c = client()) {
      assertThatThrownBy(() -> c.submit("sleep", "abc".getBytes(StandardCharsets.UTF_8)).get())
          .cause()
          .isInstanceOfSatisfying(
              DroverTaskException.class,
              e -> {
                assertThat(e.status()).isEqualTo(TaskStatus.HANDLER_ERROR);
                assertThat(e.detail()).contains("abc");
              });
      assertThat(c.submit("echo", "x".getBytes(StandardCharsets.UTF_8)).get()).containsExactly('x');
    }
    assertThat(master.workerPids()).containsExactlyInAnyOrderElementsOf(pids);
  }

  @Test
  void clientThatDisconnectsWithTasksInFlightLosesOnlyItsOwnResults() throws Exception {
    List<Long> pids = master.workerPids();
    whileOthersWork(
        () -> {
          DroverClient leaver = client();
          for (int i = 0; i < 200; i++) {
            leaver.submit("sleep", "20".getBytes(StandardCharsets.UTF_8));
          }
          await().until(() -> master.tasksInProgress() > 0);
          leaver.close();
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> master.tasksInProgress() == 0);
    assertThat(master.workerPids()).containsExactlyInAnyOrderElementsOf(pids);
  }

  @Test
  void processNotSpawnedByTheMasterIsRefusedOnTheWorkerSocket() throws Exception {
    List<Long> pids = master.workerPids();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      whileOthersWork(
          () -> {
            Channel ch =
                new Bootstrap()
                    .group(group)
                    .channel(EpollDomainSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(new DomainSocketAddress(master.workerSocket().toFile()))
                    .sync()
                    .channel();
            // Pretend to be worker 1 with our own (real) pid: still refused, we were not spawned.
            byte[] reg =
                Registration.newBuilder()
                    .setWorkerId(1)
                    .setPid(ProcessHandle.current().pid())
                    .setCapacity(1)
                    .addTaskTypes("echo")
                    .build()
                    .toByteArray();
            var frame = Unpooled.buffer();
            WorkerEventCodec.writeFramePrefix(frame, WorkerEventCodec.KIND_REGISTER, 0, 0, ProtoWire.EMPTY, reg.length);
            frame.writeBytes(reg);
            ch.writeAndFlush(frame);
            assertThat(ch.closeFuture().await(60, TimeUnit.SECONDS)).isTrue();
          });
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    assertThat(master.workers()).hasSize(2);
    assertThat(master.workerPids()).containsExactlyInAnyOrderElementsOf(pids);
  }
}
