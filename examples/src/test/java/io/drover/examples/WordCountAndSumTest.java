package io.drover.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.drover.protocol.proto.JobResult;
import io.drover.protocol.proto.Status;
import io.drover.protocol.proto.SubtaskResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WordCountAndSumTest {
  private final WordCountHandler wordCount = new WordCountHandler();
  private final SumHandler sum = new SumHandler();

  private String count(String text) {
    byte[] out = wordCount.handle(new TestContext("wordcount"), text.getBytes(StandardCharsets.UTF_8));
    return new String(out, StandardCharsets.US_ASCII);
  }

  @Test
  void countsWordsSeparatedByAnyWhitespace() {
    assertThat(count("")).isEqualTo("0");
    assertThat(count("   ")).isEqualTo("0");
    assertThat(count("one")).isEqualTo("1");
    assertThat(count("  the quick\tbrown\n\nfox  ")).isEqualTo("4");
    assertThat(count("naïve café\u00a0crème")).isEqualTo("3");
  }

  private static SubtaskResult ok(String body) {
    return SubtaskResult.newBuilder().setStatus(Status.OK).setBody(ByteString.copyFromUtf8(body)).build();
  }

  @Test
  void sumsTheGatheredResults() throws Exception {
    JobResult gathered = JobResult.newBuilder().addSubtasks(ok("4")).addSubtasks(ok("0")).addSubtasks(ok("38")).build();
    assertThat(new String(sum.handle(new TestContext("sum"), gathered.toByteArray()), StandardCharsets.US_ASCII))
        .isEqualTo("42");
    assertThat(new String(sum.handle(new TestContext("sum"), new byte[0]), StandardCharsets.US_ASCII)).isEqualTo("0");
  }

  @Test
  void refusesToSumAroundAFailedSubtask() {
    JobResult gathered =
        JobResult.newBuilder()
            .addSubtasks(ok("4"))
            .addSubtasks(SubtaskResult.newBuilder().setStatus(Status.HANDLER_ERROR).setMessage("boom"))
            .build();
    assertThatThrownBy(() -> sum.handle(new TestContext("sum"), gathered.toByteArray()))
        .hasMessageContaining("subtask 1")
        .hasMessageContaining("HANDLER_ERROR: boom");
    JobResult notANumber = JobResult.newBuilder().addSubtasks(ok("four")).build();
    assertThatThrownBy(() -> sum.handle(new TestContext("sum"), notANumber.toByteArray()))
        .hasMessageContaining("'four' is not an integer");
  }
}
