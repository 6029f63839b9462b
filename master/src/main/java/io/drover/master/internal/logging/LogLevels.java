package io.drover.master.internal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Sets the master's log levels by logger name, at start-up and on each reload: a logger a reload
 * no longer names goes back to inheriting its parent's level. Does nothing where Logback is not
 * the SLF4J backend (a master embedded in an application with its own logging).
 */
public final class LogLevels {
  private LogLevels() {}

  /** Applies {@code next}, undoing the levels of {@code before} that {@code next} drops. */
  public static void apply(Map<String, String> before, Map<String, String> next) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (String name : before.keySet()) {
      if (!next.containsKey(name) && !name.equalsIgnoreCase(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
        context.getLogger(name).setLevel(null);
      }
    }
    for (Map.Entry<String, String> e : next.entrySet()) {
      Logger logger = context.getLogger(e.getKey().equalsIgnoreCase("ROOT") ? org.slf4j.Logger.ROOT_LOGGER_NAME : e.getKey());
      logger.setLevel(Level.toLevel(e.getValue(), Level.INFO));
    }
  }
}
