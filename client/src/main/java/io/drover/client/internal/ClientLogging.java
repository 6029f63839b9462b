package io.drover.client.internal;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.netty.util.internal.logging.Log4J2LoggerFactory;
import java.lang.reflect.Field;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Where the client's log messages, and Netty's, go in a user's program: through SLF4J when the
 * program has an SLF4J provider (its user configured logging), and otherwise nowhere, without
 * SLF4J's three "No SLF4J providers were found" warning lines.
 *
 * <p>Those lines come from SLF4J's first initialization, which either of two things would start
 * in a program without a provider: a {@link LoggerFactory#getLogger} call of the client's own, or
 * Netty choosing its logging framework, which asks SLF4J first. So without a provider the client
 * uses a no-operation logger, and gives Netty the framework Netty would have chosen after SLF4J
 * (Log4j 2 when its API is present, else {@code java.util.logging}) before Netty asks: only if
 * Netty has not chosen yet, so a choice the program made itself stands.
 */
public final class ClientLogging {
  private static final boolean SLF4J_CONFIGURED = slf4jHasProvider();

  static {
    if (!SLF4J_CONFIGURED) {
      chooseNettyLoggingWithoutSlf4j();
    }
  }

  private ClientLogging() {}

  /**
   * Makes the choice above, once; call it before the client touches Netty. Idempotent and cheap.
   */
  public static void init() {
    // The static initializer does the work.
  }

  /** The logger for {@code type}: SLF4J's when the program has a provider, else a silent one. */
  public static Logger logger(Class<?> type) {
    return SLF4J_CONFIGURED ? LoggerFactory.getLogger(type) : NOPLogger.NOP_LOGGER;
  }

  /**
   * Whether SLF4J will find a provider, asked the way SLF4J 2 asks (its {@code slf4j.provider}
   * property, then a service loader on its own class loader) without initializing it. A binding
   * for SLF4J 1.7 counts too: SLF4J 2 ignores it, and its warnings then tell the user why.
   */
  private static boolean slf4jHasProvider() {
    String named = System.getProperty("slf4j.provider");
    if (named != null && !named.isBlank()) {
      return true;
    }
    ClassLoader loader = LoggerFactory.class.getClassLoader();
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    if (loader.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null) {
      return true;
    }
    try {
      return ServiceLoader.load(SLF4JServiceProvider.class, loader).stream().findAny().isPresent();
    } catch (ServiceConfigurationError e) {
      return true; // a provider that does not load: SLF4J's own report says which
    } catch (LinkageError e) {
      return false; // slf4j-api 1.x, which has no providers, and no binding (checked above)
    }
  }

  private static void chooseNettyLoggingWithoutSlf4j() {
    Field chosen;
    try {
      chosen = InternalLoggerFactory.class.getDeclaredField("defaultFactory");
      chosen.setAccessible(true);
      if (chosen.get(null) != null) {
        return; // Netty already chose, or the program chose for it
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      return; // a Netty whose insides differ: leave its choice to it, warnings and all
    }
    InternalLoggerFactory.setDefaultFactory(log4j2IfPresent());
  }

  private static InternalLoggerFactory log4j2IfPresent() {
    try {
      // The Log4j 2 class Netty's adapter extends: Netty's own test for Log4j 2.
      Class.forName(
          "org.apache.logging.log4j.spi.ExtendedLoggerWrapper",
          false,
          InternalLoggerFactory.class.getClassLoader());
      return Log4J2LoggerFactory.INSTANCE;
    } catch (ClassNotFoundException | LinkageError e) {
      return JdkLoggerFactory.INSTANCE;
    }
  }
}
