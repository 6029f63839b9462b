package io.drover.master.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogbackCaptureTest {
  private static final Logger log = LoggerFactory.getLogger(LogbackCaptureTest.class);

  @Test
  void copiesTheMastersLogLinesButNotTheWorkerOutputItLogsUntilClosed() throws Exception {
    LogRing ring = new LogRing();
    try (AutoCloseable capture = LogbackCapture.attach(ring)) {
      log.warn("captured {}", 42, new IllegalStateException("why"));
      LoggerFactory.getLogger(LogRing.WORKER_OUTPUT_LOGGER).info("[worker 1 pid 2] appended by the pump itself");
    }
    log.info("after close");
    // Other threads of the test JVM may log meanwhile: only this test's lines count.
    var lines =
        ring.last(100, LogFilter.ALL).lines().stream()
            .filter(l -> l.text().contains("captured") || l.text().contains("appended by the pump") || l.text().contains("after close"))
            .toList();
    assertThat(lines).hasSize(1);
    LogLine line = lines.get(0);
    assertThat(line.fromMaster()).isTrue();
    assertThat(line.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(line.level()).isEqualTo("WARN");
    assertThat(line.text()).endsWith("LogbackCaptureTest - captured 42 (java.lang.IllegalStateException: why)");
  }
}
