package io.drover.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.proto.JobRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void subtasksKeepTheirOrderTypesAndKeys() {
    Job job =
        Job.builder("echo")
            .add(utf8("a"))
            .add("sha256", utf8("b"))
            .add("echo", utf8("c"), "key-1")
            .reduce("sum")
            .build();
    JobRequest r = job.request();
    assertThat(job.size()).isEqualTo(3);
    assertThat(job.defaultType()).isEqualTo("echo");
    assertThat(job.reduceType()).isEqualTo("sum");
    assertThat(r.getSubtasks(0).getTaskType()).isEmpty(); // the default, sent once in the header
    assertThat(r.getSubtasks(1).getTaskType()).isEqualTo("sha256");
    assertThat(r.getSubtasks(2).getRoutingKey()).isEqualTo("key-1");
    assertThat(r.getSubtasksList()).extracting(s -> s.getPayload().toStringUtf8()).containsExactly("a", "b", "c");
    assertThat(r.getStream()).isFalse();
  }

  @Test
  void payloadsAreCopiedWhenAdded() {
    byte[] payload = utf8("before");
    Job job = Job.of("echo", List.of(payload));
    payload[0] = 'X';
    assertThat(job.request().getSubtasks(0).getPayload().toStringUtf8()).isEqualTo("before");
  }

  @Test
  void badJobsAreRefusedWhenBuiltNotOnTheWire() {
    assertThatThrownBy(() -> Job.builder().add(utf8("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no default task type");
    assertThatThrownBy(() -> Job.builder("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Job.builder().add("t".repeat(256), utf8("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1-255");
    assertThatThrownBy(() -> Job.builder("echo").add("echo", utf8("x"), "k".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routingKey");
    assertThatThrownBy(() -> Job.builder("echo").reduce("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOutcomeListsItsFailures() {
    SubtaskOutcome ok = new SubtaskOutcome(0, TaskStatus.OK, "", utf8("r"), 1);
    SubtaskOutcome bad = new SubtaskOutcome(1, TaskStatus.HANDLER_ERROR, "boom", new byte[0], 1);
    JobOutcome outcome =
        new JobOutcome(TaskStatus.SUBTASK_FAILED, "1 of 2 subtasks failed", List.of(ok, bad), java.util.Optional.empty());
    assertThat(outcome.isOk()).isFalse();
    assertThat(outcome.failed()).containsExactly(bad);
    assertThat(outcome.toString()).contains("SUBTASK_FAILED").contains("2 subtasks, 1 failed");
  }

  @Test
  void theRequestIsEncodedOnceForEachStreamingChoice() throws Exception {
    Job job = Job.builder("echo").add(utf8("a")).add(utf8("b")).build();
    byte[] plain = job.encoded(false);
    byte[] streaming = job.encoded(true);
    assertThat(job.encoded(false)).isSameAs(plain);
    assertThat(job.encoded(true)).isSameAs(streaming);
    assertThat(JobRequest.parseFrom(plain)).isEqualTo(job.request());
    JobRequest streamed = JobRequest.parseFrom(streaming);
    assertThat(streamed.getStream()).isTrue();
    assertThat(streamed.getSubtasksList()).isEqualTo(job.request().getSubtasksList());
  }
}
