package io.drover.master.internal.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Copies the master's own log lines into a {@link LogRing}: an appender added to Logback's root
 * logger while the master runs (attached in code rather than in {@code logback.xml}, so that an
 * embedded master, or one logging through a configuration of the user's, gets its lines too).
 * Each event becomes one line, {@code DroverMaster - message}, with its throwable's class and
 * message; stack traces stay in the master's log. The worker output pumps log under {@link
 * LogRing#WORKER_OUTPUT_LOGGER} and append their lines to the ring themselves, so those events
 * are skipped here.
 *
 * <p>It runs on the logging thread, before the asynchronous console appender's queue: it costs
 * that thread one short append, and a line is in the ring even when the console drops it.
 */
public final class LogbackCapture extends UnsynchronizedAppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final long PID = ProcessHandle.current().pid();

  private final LogRing ring;
  private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(24);
  private final Logger root;

  private LogbackCapture(LogRing ring, Logger root) {
    this.ring = ring;
    this.root = root;
  }

  /**
   * Starts copying the master's log lines into {@code ring} until {@link #close}; does nothing
   * (and returns a capture whose close does nothing) when SLF4J is not bound to Logback.
   */
  public static AutoCloseable attach(LogRing ring) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return () -> {};
    }
    LogbackCapture capture = new LogbackCapture(ring, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    capture.setContext(context);
    capture.setName("drover-log-ring");
    capture.start();
    capture.root.addAppender(capture);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (LogRing.WORKER_OUTPUT_LOGGER.equals(event.getLoggerName())) {
      return;
    }
    StringBuilder text = new StringBuilder(abbreviator.abbreviate(event.getLoggerName())).append(" - ").append(event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      text.append(" (").append(thrown.getClassName());
      if (thrown.getMessage() != null) {
        text.append(": ").append(thrown.getMessage());
      }
      text.append(')');
    }
    ring.append(event.getTimeStamp(), LogLine.MASTER, PID, false, event.getLevel().toString(), text.toString());
  }

  /** Stops copying: detaches the appender from the root logger. */
  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
