package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.drover.client.DroverClient;
import io.drover.client.TaskOptions;
import io.drover.master.testing.LogCapture;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client's traceparent through a real master to a real worker JVM: the handler's TaskContext
 * has it, and the line the handler logs, relayed by the master from the worker's stdout, carries
 * its trace and span ids; a task without one logs a line without them.
 */
@ExtendWith(LeakDetectionExtension.class)
class TraceContextIT {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  private static DroverMaster master;

  @BeforeAll
  static void startMaster() throws Exception {
    master = DroverMaster.start(TestMasters.configWithDiagnostics(1).build());
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void theHandlerSeesTheClientsTraceparentAndItsLogLineCarriesTheTraceId() throws Exception {
    try (LogCapture log = LogCapture.all();
        DroverClient client = DroverClient.connect("127.0.0.1", master.clientAddress().getPort())) {
      byte[] traced =
          client
              .submit("trace", new byte[0], TaskOptions.defaults().withTraceparent(TRACEPARENT))
              .get(30, TimeUnit.SECONDS);
      byte[] untraced = client.submit("trace", new byte[0]).get(30, TimeUnit.SECONDS);

      assertThat(new String(traced, StandardCharsets.US_ASCII)).isEqualTo(TRACEPARENT);
      assertThat(new String(untraced, StandardCharsets.US_ASCII)).isEqualTo("none");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(handlerLines(log)).hasSize(2));
      List<String> lines = handlerLines(log);
      assertThat(lines.get(0))
          .as("the traced task's line")
          .contains("TraceHandler - trace_id=" + TRACE_ID + " span_id=" + SPAN_ID + " trace handler running task");
      assertThat(lines.get(1))
          .as("the untraced task's line, without empty fields")
          .contains("TraceHandler - trace handler running task")
          .doesNotContain("trace_id");
    }
  }

  private static List<String> handlerLines(LogCapture log) {
    return log.events().stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains("trace handler running task"))
        .toList();
  }
}
