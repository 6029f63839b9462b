package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.JobResult;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link JobGather}'s bookkeeping, without a network: statuses, summaries and the size bound. */
class JobGatherTest {
  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

  private static ByteBuf body(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private static JobResult parse(ByteBuf buf) throws Exception {
    try {
      return JobResult.parseFrom(ByteBufUtil.getBytes(buf));
    } finally {
      buf.release();
    }
  }

  private static JobGather job(int subtasks, TaskType reduce, long maxBytes) {
    return new JobGather(null, 7, subtasks, false, reduce, maxBytes);
  }

  @Test
  void resultsComeOutInRequestOrderWhateverOrderTheyArriveIn() throws Exception {
    JobGather job = job(3, null, 1 << 20);
    job.record(2, Status.OK_VALUE, ProtoWire.EMPTY, body("c"), 1);
    job.record(0, Status.OK_VALUE, ProtoWire.EMPTY, body("a"), 1);
    assertThat(job.gathered()).isFalse();
    job.record(1, Status.OK_VALUE, ProtoWire.EMPTY, body("b"), 2);
    assertThat(job.gathered()).isTrue();
    assertThat(job.finalStatus()).isEqualTo(Status.OK_VALUE);
    assertThat(job.finalMessage()).isEmpty();
    JobResult r = parse(job.finalBody(ALLOC));
    assertThat(r.getSubtasksList()).extracting(s -> s.getBody().toStringUtf8()).containsExactly("a", "b", "c");
    assertThat(r.getSubtasks(1).getAttempts()).isEqualTo(2);
    assertThat(r.hasReduce()).isFalse();
  }

  @Test
  void onlyTheFirstOutcomeOfASubtaskCounts() throws Exception {
    JobGather job = job(2, null, 1 << 20);
    job.record(0, Status.DEADLINE_EXCEEDED_VALUE, ProtoWire.utf8("late"), null, 1);
    job.record(0, Status.OK_VALUE, ProtoWire.EMPTY, body("too late"), 1);
    assertThat(job.gathered()).isFalse();
    job.record(1, Status.OK_VALUE, ProtoWire.EMPTY, body("b"), 1);
    assertThat(job.finalStatus()).isEqualTo(Status.SUBTASK_FAILED_VALUE);
    assertThat(job.finalMessage()).isEqualTo("1 of 2 subtasks failed, the first #0 DEADLINE_EXCEEDED: late");
    assertThat(parse(job.finalBody(ALLOC)).getSubtasks(0).getStatus()).isEqualTo(Status.DEADLINE_EXCEEDED);
  }

  @Test
  void aCutShortJobKeepsItsStatusAndRunsNoReduce() {
    TaskType sum = new TaskType("sum");
    JobGather job = job(2, sum, 1 << 20);
    job.record(0, Status.OK_VALUE, ProtoWire.EMPTY, body("1"), 1);
    job.cutShort(Status.CANCELLED_VALUE, "cancelled by the client");
    job.record(1, Status.CANCELLED_VALUE, ProtoWire.utf8("cancelled by the client"), null, 1);
    assertThat(job.readyToReduce()).isFalse();
    assertThat(job.finalStatus()).isEqualTo(Status.CANCELLED_VALUE);
    assertThat(job.finalMessage()).startsWith("cancelled by the client; 1 of 2 subtasks failed").contains("reduce 'sum' did not run");
    job.finalBody(ALLOC).release();
  }

  @Test
  void theReduceInputHasTheBodiesAndTheFinalAnswerOnlyTheStatuses() throws Exception {
    JobGather job = job(2, new TaskType("sum"), 1 << 20);
    job.record(0, Status.OK_VALUE, ProtoWire.EMPTY, body("40"), 1);
    job.record(1, Status.OK_VALUE, ProtoWire.EMPTY, body("2"), 1);
    assertThat(job.readyToReduce()).isTrue();
    JobResult input = parse(job.reduceInput(ALLOC));
    assertThat(input.getSubtasksList()).extracting(s -> s.getBody().toStringUtf8()).containsExactly("40", "2");
    job.recordReduce(Status.OK_VALUE, ProtoWire.EMPTY, body("42"), 1);
    assertThat(job.finalStatus()).isEqualTo(Status.OK_VALUE);
    JobResult answer = parse(job.finalBody(ALLOC));
    assertThat(answer.getReduce().getBody().toStringUtf8()).isEqualTo("42");
    assertThat(answer.getSubtasksList()).allSatisfy(s -> assertThat(s.getBody().isEmpty()).isTrue());
  }

  @Test
  void resultsThatWouldNotFitInAFrameAreDroppedAndTheJobSaysSo() throws Exception {
    JobGather job = job(10, null, 4_000);
    String kilobyte = "x".repeat(1_000);
    for (int i = 0; i < 10; i++) {
      job.record(i, Status.OK_VALUE, ProtoWire.EMPTY, body(kilobyte), 1);
    }
    assertThat(job.finalStatus()).isEqualTo(Status.FRAME_TOO_LARGE_VALUE);
    assertThat(job.finalMessage())
        .startsWith("the results add up to more than the 4000 bytes a frame holds (the master's --max-frame-bytes less"
            + " 4 KiB for the header), so their bodies were dropped (stream the job instead, or raise --max-frame-bytes");
    ByteBuf answer = job.finalBody(ALLOC);
    assertThat(answer.readableBytes()).isLessThanOrEqualTo(4_000);
    JobResult r = parse(answer);
    assertThat(r.getSubtasksList()).hasSize(10).allSatisfy(s -> {
      assertThat(s.getStatus()).isEqualTo(Status.OK);
      assertThat(s.getBody().isEmpty()).isTrue();
    });
  }

  @Test
  void aJobOverItsBoundNeverReduces() {
    JobGather job = job(3, new TaskType("sum"), 1_500);
    for (int i = 0; i < 3; i++) {
      job.record(i, Status.OK_VALUE, ProtoWire.EMPTY, body("y".repeat(1_000)), 1);
    }
    assertThat(job.gathered()).isTrue();
    assertThat(job.readyToReduce()).isFalse();
    assertThat(job.finalStatus()).isEqualTo(Status.FRAME_TOO_LARGE_VALUE);
    job.finalBody(ALLOC).release();
  }
}
