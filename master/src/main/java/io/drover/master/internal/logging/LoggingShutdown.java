package io.drover.master.internal.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Drains the log before the JVM exits. The master's Logback configuration writes through an
 * asynchronous appender whose thread is a daemon: without this, the lines still queued when
 * {@code System.exit} runs (the master's last ones, "Drover master stopped") would be lost.
 */
public final class LoggingShutdown {
  private LoggingShutdown() {}

  /**
   * Stops the Logback context, which writes out every queued line (waiting up to the appender's
   * {@code maxFlushTime}); lines logged after this are dropped. Does nothing under another SLF4J
   * binding.
   */
  public static void flush() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.stop();
    }
  }
}
