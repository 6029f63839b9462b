package io.drover.master.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts the lines this JVM logs (an in-process master's included) from {@link #attach} to {@link
 * #close}, keeping the messages of the first {@value #KEPT} and of every line that contains one
 * of the given markers. Attached to the root logger directly, it sees every line before the asynchronous
 * appender could drop one.
 */
public final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final int KEPT = 10;

  private final List<String> markers;
  private final AtomicLong count = new AtomicLong();
  private final List<String> first = new CopyOnWriteArrayList<>();
  private final List<String> marked = new CopyOnWriteArrayList<>();

  private LogLines(List<String> markers) {
    this.markers = markers;
  }

  /** Starts counting; lines whose message contains one of {@code markers} are all kept. */
  public static LogLines attach(String... markers) {
    LogLines lines = new LogLines(List.of(markers));
    lines.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    lines.start();
    root().addAppender(lines);
    return lines;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected void append(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (count.incrementAndGet() <= KEPT) {
      first.add(message);
    }
    for (String marker : markers) {
      if (message.contains(marker)) {
        marked.add(message);
        return;
      }
    }
  }

  /** Lines logged so far. */
  public long count() {
    return count.get();
  }

  /** The messages of the first lines (up to 10), to show what flooded the log. */
  public List<String> first() {
    return first;
  }

  /** The messages that contained a marker. */
  public List<String> marked() {
    return marked;
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }
}
