package io.drover.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.client.testing.FakeMaster;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The traceparent the master receives with a task: the one given in {@link TaskOptions}, else the
 * current OpenTelemetry span's (the API is on this module's test classpath, no SDK), else none.
 */
class TraceparentPropagationTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String GIVEN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

  @RegisterExtension final FakeMaster master = new FakeMaster(64 * 1024);

  @Test
  void aTaskCarriesNoTraceparentWithoutASpanOrAnOption() throws Exception {
    try (DroverClient client = connect()) {
      assertThat(received(client, TaskOptions.defaults())).isEqualTo("none");
    }
  }

  @Test
  void theTraceparentGivenInTheOptionsIsSent() throws Exception {
    try (DroverClient client = connect()) {
      assertThat(received(client, TaskOptions.defaults().withTraceparent(GIVEN))).isEqualTo(GIVEN);
    }
  }

  @Test
  void theCurrentOpenTelemetrySpansTraceparentIsSent() throws Exception {
    try (DroverClient client = connect();
        Scope scope = sampledSpan().makeCurrent()) {
      assertThat(received(client, TaskOptions.defaults())).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
      byte[] plain = client.submit("traceparent", new byte[0]).get(30, TimeUnit.SECONDS);
      assertThat(new String(plain, StandardCharsets.US_ASCII))
          .as("submit without options too")
          .isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    }
  }

  @Test
  void anExplicitTraceparentWinsOverTheCurrentSpan() throws Exception {
    try (DroverClient client = connect();
        Scope scope = sampledSpan().makeCurrent()) {
      assertThat(received(client, TaskOptions.defaults().withTraceparent(GIVEN))).isEqualTo(GIVEN);
    }
  }

  @Test
  void anInvalidSpanContextSendsNone() throws Exception {
    try (DroverClient client = connect();
        Scope scope = Span.getInvalid().makeCurrent()) {
      assertThat(received(client, TaskOptions.defaults())).isEqualTo("none");
    }
  }

  @Test
  void aMalformedTraceparentIsRefusedWithWhatIsExpected() {
    assertThatThrownBy(() -> TaskOptions.defaults().withTraceparent("00-abc-def-01"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "traceparent: '00-abc-def-01' (expected: 00-<32 lowercase hex trace id>-<16 lowercase hex"
                + " parent id>-<2 hex flags>, ids not all zeros)");
    assertThatThrownBy(() -> TaskOptions.defaults().withTraceparent(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Span sampledSpan() {
    return Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
  }

  private DroverClient connect() {
    return DroverClient.connect("127.0.0.1", master.port());
  }

  private static String received(DroverClient client, TaskOptions options) throws Exception {
    byte[] answer = client.submit("traceparent", new byte[0], options).get(30, TimeUnit.SECONDS);
    return new String(answer, StandardCharsets.US_ASCII);
  }
}
