package io.drover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Status;
import io.drover.worker.FakeMaster.Event;
import io.drover.worker.internal.DomainSocketTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * A task's trace context in the worker: the handler sees the traceparent the master forwarded, and
 * a task without one, run next on the same single thread, sees none. (The MDC's ids in a real log
 * line are checked with Logback in the master's TraceContextIT: this module's test binding,
 * slf4j-simple, has no MDC.)
 */
class TaskTraceContextTest {
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @TempDir Path dir;

  private FakeMaster master;
  private DroverWorker worker;

  /** Answers what the handler saw: its traceparent and trace id, or "-". */
  private static final TaskHandler TRACE =
      new TaskHandler() {
        @Override
        public String taskType() {
          return "trace";
        }

        @Override
        public byte[] handle(TaskContext context, byte[] payload) {
          LoggerFactory.getLogger(TaskTraceContextTest.class).info("handling a traced task");
          String seen = context.traceparent().orElse("-") + " " + context.traceId().orElse("-");
          return seen.getBytes(StandardCharsets.UTF_8);
        }
      };

  @ParameterizedTest
  @EnumSource(DomainSocketTransport.class)
  void theHandlerSeesTheTraceparentOfItsOwnTaskOnly(DomainSocketTransport transport)
      throws Exception {
    if (transport == DomainSocketTransport.EPOLL) {
      assumeThat(Epoll.isAvailable()).as("epoll available").isTrue();
    }
    Path socket = dir.resolve("master.sock");
    master = new FakeMaster(socket, transport, FrameLimits.DEFAULT_MAX_FRAME_BYTES);
    // One handler thread: the untraced task runs on the thread the traced one used.
    worker =
        DroverWorker.builder()
            .socketPath(socket)
            .workerId(1)
            .capacity(1)
            .transport(transport)
            .heartbeatInterval(Duration.ofSeconds(10))
            .handler(TRACE)
            .build();
    worker.start();
    master.awaitRegistration();

    ByteBuf frames = Unpooled.buffer();
    FakeMaster.writeTask(frames, 1, "trace", TRACEPARENT, new byte[0]);
    FakeMaster.writeTask(frames, 2, "trace", "", new byte[0]);
    master.send(frames);
    Map<Long, Event> results = new HashMap<>();
    while (results.size() < 2) {
      Event e = master.next();
      if (e.kind() == io.drover.protocol.wire.WorkerEventCodec.KIND_RESULT) {
        results.put(e.taskId(), e);
      }
    }

    assertThat(results.get(1L).status()).isEqualTo(Status.OK.getNumber());
    assertThat(results.get(1L).bodyText())
        .isEqualTo(TRACEPARENT + " 4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(results.get(2L).bodyText()).isEqualTo("- -");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (master != null) {
      master.close();
    }
  }
}
