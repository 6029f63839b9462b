package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.DroverTaskException;
import io.drover.client.Job;
import io.drover.client.JobOutcome;
import io.drover.client.TaskStatus;
import io.drover.master.status.WorkerTransition;
import io.drover.master.testing.RawClient;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.Status;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A handler's result larger than a frame can carry fails its own task with {@code
 * RESULT_TOO_LARGE}, naming its size and the limit, and nothing else: the worker keeps its
 * connection, the tasks it holds at the same time succeed at their first attempt, and no worker
 * process is restarted. Real worker JVMs with a 64 KiB maximum frame.
 */
@ExtendWith(LeakDetectionExtension.class)
class ResultTooLargeIT {
  private static final int MAX_FRAME = 64 * 1024;
  private static final int MAX_RESULT = MAX_FRAME - FrameLimits.HEADER_HEADROOM_BYTES;
  private static final int TOO_LARGE = 100_000;
  private static final byte[] WHOAMI = ascii("whoami");
  private static final byte[] BIG = ascii("big");

  private static DroverMaster master;
  private List<Long> pids;
  private int transitions;

  @BeforeAll
  static void startMaster() throws Exception {
    master = DroverMaster.start(TestMasters.configWithDiagnostics(2).maxFrameBytes(MAX_FRAME).build());
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  @BeforeEach
  void rememberTheWorkers() {
    // Both registered (a failing run may have left one restarting), then nothing may change.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> master.workers().size() == 2 && master.workerPids().size() == 2);
    pids = master.workerPids();
    transitions = master.workerTransitions().size();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void assertNoWorkerWasRestarted() {
    assertThat(master.workerPids()).containsExactlyInAnyOrderElementsOf(pids);
    List<WorkerTransition> all = master.workerTransitions();
    assertThat(all.subList(transitions, all.size())).as("worker state changes").isEmpty();
  }

  private static void assertTooLarge(int status, String message, int resultBytes) {
    assertThat(status).isEqualTo(Status.RESULT_TOO_LARGE_VALUE);
    assertThat(message)
        .isEqualTo(FrameLimits.resultTooLargeMessage("big", resultBytes, MAX_FRAME))
        .contains(Integer.toString(resultBytes))
        .contains(Integer.toString(MAX_RESULT))
        .contains(Integer.toString(MAX_FRAME));
  }

  @Test
  void aTooLargeResultFailsAloneWhileAThousandTasksOnTheSameWorkersSucceedAtTheFirstAttempt()
      throws Exception {
    int others = 1_000;
    long bigId = 2;
    ByteBuf requests = Unpooled.buffer();
    // Written at once, so the big task shares its worker with tasks in flight before and after it.
    for (long id = 1; id <= others + 1; id++) {
      if (id == bigId) {
        RequestHeaderCodec.writeFrame(
            requests, RequestHeaderCodec.KIND_SUBMIT, id, BIG, ascii(Integer.toString(TOO_LARGE)));
      } else {
        RequestHeaderCodec.writeFrame(requests, RequestHeaderCodec.KIND_SUBMIT, id, WHOAMI, ProtoWire.EMPTY);
      }
    }
    Map<Long, RawClient.Response> responses = new HashMap<>();
    try (RawClient raw = new RawClient(master.clientAddress())) {
      raw.write(ByteBufUtil.getBytes(requests));
      for (int i = 0; i < others + 1; i++) {
        RawClient.Response r = raw.read();
        assertThat(responses.put(r.requestId(), r)).as("second answer to %d", r.requestId()).isNull();
      }
    }
    RawClient.Response big = responses.remove(bigId);
    assertTooLarge(big.status(), big.message(), TOO_LARGE);
    assertThat(big.body()).isEmpty();
    assertThat(big.attempts()).isEqualTo(1);
    assertThat(responses).hasSize(others);
    assertThat(responses.values())
        .allSatisfy(
            r -> {
              assertThat(r.status()).as(r.message()).isEqualTo(Status.OK_VALUE);
              assertThat(r.attempts()).isEqualTo(1);
              String pid = new String(r.body(), StandardCharsets.US_ASCII).replaceFirst(".* pid=", "");
              assertThat(pids).contains(Long.parseLong(pid));
            });
    assertNoWorkerWasRestarted();
  }

  @Test
  void aResultOfExactlyTheLimitIsDelivered() throws Exception {
    try (DroverClient client = DroverClient.builder().port(master.clientAddress().getPort()).maxFrameBytes(MAX_FRAME).build()) {
      byte[] result = client.submit("big", ascii(Integer.toString(MAX_RESULT))).get(30, TimeUnit.SECONDS);
      assertThat(result).hasSize(MAX_RESULT);
      assertThatThrownBy(() -> client.submit("big", ascii(Integer.toString(MAX_RESULT + 1))).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              DroverTaskException.class, e -> assertTooLarge(e.status().wireNumber(), e.detail(), MAX_RESULT + 1));
    }
    assertNoWorkerWasRestarted();
  }

  @Test
  void aJobsSubtaskWithATooLargeResultHasThatStatusInTheJobsResults() throws Exception {
    try (DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      Job job =
          Job.builder("big")
              .add(ascii("10"))
              .add(ascii(Integer.toString(TOO_LARGE)))
              .add("echo", ascii("still here"))
              .build();
      JobOutcome outcome = client.submitJob(job).get(30, TimeUnit.SECONDS);
      assertThat(outcome.status()).isEqualTo(TaskStatus.SUBTASK_FAILED);
      assertThat(outcome.subtasks().get(0).status()).isEqualTo(TaskStatus.OK);
      assertThat(outcome.subtasks().get(0).body()).hasSize(10);
      var tooLarge = outcome.subtasks().get(1);
      assertTooLarge(tooLarge.status().wireNumber(), tooLarge.message(), TOO_LARGE);
      assertThat(tooLarge.attempts()).isEqualTo(1);
      assertThat(outcome.subtasks().get(2).body()).asString().isEqualTo("still here");
      assertThat(outcome.message()).contains("RESULT_TOO_LARGE");
    }
    assertNoWorkerWasRestarted();
  }

  @Test
  void aTaskWhosePayloadFillsAWholeFrameReachesItsWorkerWhoseCommandHeaderIsLonger() throws Exception {
    // A client frame of exactly the maximum: the master's TASK frame to the worker carries the
    // same payload under a longer header (task id, attempt), a few bytes over the maximum.
    // The header and its length prefix: the frame without a body, less its own 1-byte prefix.
    int header = RequestHeaderCodec.frameSize(RequestHeaderCodec.KIND_SUBMIT, 7, ascii("echo"), 0) - 1;
    int payload = MAX_FRAME - header;
    ByteBuf request = Unpooled.buffer();
    RequestHeaderCodec.writeFrame(request, RequestHeaderCodec.KIND_SUBMIT, 7, ascii("echo"), new byte[payload]);
    assertThat(request.readableBytes()).isEqualTo(ProtoWire.varint32Size(MAX_FRAME) + MAX_FRAME);
    try (RawClient raw = new RawClient(master.clientAddress())) {
      raw.write(ByteBufUtil.getBytes(request));
      RawClient.Response r = raw.read();
      assertThat(r.requestId()).isEqualTo(7);
      // The echo would not fit in a frame beside its header: refused, and the worker stays.
      assertThat(r.status()).as(r.message()).isEqualTo(Status.RESULT_TOO_LARGE_VALUE);
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.message()).contains(Integer.toString(payload)).contains(Integer.toString(MAX_FRAME));
    }
    assertNoWorkerWasRestarted();
  }

  @Test
  void inlineModeAnswersATooLargeResultTheSameWay() throws Exception {
    DroverMaster inline =
        DroverMaster.start(
            TestMasters.configWithDiagnostics(1).inline(true).maxFrameBytes(MAX_FRAME).build());
    try (DroverClient client = DroverClient.connect("127.0.0.1", inline.clientAddress().getPort())) {
      assertThat(client.submit("big", ascii(Integer.toString(MAX_RESULT))).get(30, TimeUnit.SECONDS))
          .hasSize(MAX_RESULT);
      assertThatThrownBy(() -> client.submit("big", ascii(Integer.toString(TOO_LARGE))).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              DroverTaskException.class, e -> assertTooLarge(e.status().wireNumber(), e.detail(), TOO_LARGE));
      assertThat(client.submit("echo", ascii("after")).get(30, TimeUnit.SECONDS)).asString().isEqualTo("after");
    } finally {
      inline.close();
    }
  }
}
