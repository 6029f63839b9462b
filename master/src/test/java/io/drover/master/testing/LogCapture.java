package io.drover.master.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records what the master logs while a test runs, to check that a behaviour logs what operators
 * rely on (or that a race logs no error). Events keep going to the console as well.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Records every event of the master (every logger). */
  public static LogCapture all() {
    return new LogCapture((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }

  /** Records the events of {@code type}'s logger. */
  public static LogCapture of(Class<?> type) {
    return new LogCapture((Logger) LoggerFactory.getLogger(type));
  }

  /** The events so far, oldest first. */
  public List<ILoggingEvent> events() {
    // ListAppender appends under the appender's own lock.
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** The events so far that match {@code filter}. */
  public List<ILoggingEvent> events(Predicate<ILoggingEvent> filter) {
    return events().stream().filter(filter).toList();
  }

  /** The events so far at ERROR level. */
  public List<ILoggingEvent> errors() {
    return events(e -> e.getLevel() == Level.ERROR);
  }

  /** Each event as one line: level, logger, message and the throwable's class, for assertion messages. */
  public static String describe(List<ILoggingEvent> events) {
    StringBuilder s = new StringBuilder();
    for (ILoggingEvent e : events) {
      s.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ").append(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        s.append(" [").append(e.getThrowableProxy().getClassName()).append(']');
      }
      s.append('\n');
    }
    return s.toString();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
