package io.drover.master.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
  private final EmbeddedChannel loop = new EmbeddedChannel();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RateLimitedLogTest.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final RateLimitedLog limiter;

  RateLimitedLogTest() {
    loop.freezeTime();
    lines.start();
    logger.addAppender(lines);
    logger.setAdditive(false);
    Ticker ticker = ((AbstractScheduledEventExecutor) loop.eventLoop()).ticker();
    limiter = new RateLimitedLog(logger, "/127.0.0.1:5555", 3, Duration.ofSeconds(1), loop.eventLoop(), ticker);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
    logger.setAdditive(true);
    loop.finishAndReleaseAll();
  }

  /** Offers {@code n} warnings, logging those the limiter lets through; returns how many. */
  private int warn(int n) {
    int logged = 0;
    for (int i = 0; i < n; i++) {
      if (limiter.permit()) {
        logger.warn("bad frame {}", i);
        logged++;
      }
    }
    return logged;
  }

  private List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private void advance(long millis) {
    loop.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    loop.runScheduledPendingTasks();
  }

  @Test
  void aFloodLogsTheBurstThenOneSummaryAtTheEndOfTheInterval() {
    assertThat(warn(100_000)).isEqualTo(3);
    assertThat(limiter.suppressed()).isEqualTo(99_997);
    advance(999);
    assertThat(messages()).hasSize(3);
    advance(1);
    assertThat(messages())
        .hasSize(4)
        .last()
        .isEqualTo("suppressed 99,997 similar warnings from /127.0.0.1:5555 in the last 1 s");
    assertThat(limiter.suppressed()).isZero();
  }

  @Test
  void aFloodThatGoesOnLogsTheBurstAndASummaryEverySecond() {
    for (int second = 0; second < 5; second++) {
      assertThat(warn(10_000)).isEqualTo(3);
      advance(1_000);
    }
    assertThat(messages()).hasSize(5 * 4);
    assertThat(messages().stream().filter(m -> m.startsWith("suppressed 9,997 similar warnings"))).hasSize(5);
  }

  @Test
  void warningsWithinTheBurstAreNeverSummarized() {
    assertThat(warn(3)).isEqualTo(3);
    advance(5_000);
    assertThat(warn(3)).isEqualTo(3);
    advance(5_000);
    assertThat(messages()).hasSize(6).allMatch(m -> m.startsWith("bad frame"));
  }

  @Test
  void aNewIntervalLetsTheBurstThroughAgain() {
    assertThat(warn(3)).isEqualTo(3);
    advance(1_000);
    assertThat(warn(4)).isEqualTo(3);
    assertThat(limiter.suppressed()).isOne();
  }

  @Test
  void closeSummarizesAtOnceAndCancelsTheTimer() {
    warn(10);
    advance(200);
    limiter.close();
    assertThat(messages()).last().isEqualTo("suppressed 7 similar warnings from /127.0.0.1:5555 in the last 0.2 s");
    advance(5_000);
    assertThat(messages()).hasSize(4);
  }

  @Test
  void badSettingsAreRefusedWithTheirName() {
    Ticker ticker = Ticker.systemTicker();
    assertThatThrownBy(() -> new RateLimitedLog(logger, "x", 0, Duration.ofSeconds(1), loop.eventLoop(), ticker))
        .hasMessage("burst: 0 (expected: > 0)");
    assertThatThrownBy(() -> new RateLimitedLog(logger, "x", 1, Duration.ZERO, loop.eventLoop(), ticker))
        .hasMessage("interval: 0 s (expected: > 0)");
  }
}
