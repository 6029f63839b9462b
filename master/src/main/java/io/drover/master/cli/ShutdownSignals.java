package io.drover.master.cli;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful shutdown that ends with exit code 0, rather than the
 * JVM's default of running shutdown hooks and exiting 143/130. A second SIGINT (an impatient
 * Ctrl-C) exits at once; workers notice the lost connection and exit by themselves. SIGHUP reloads
 * the settings (once the master has started; before, it is logged and ignored); SIGUSR1 is ignored
 * with a log line.
 */
final class ShutdownSignals {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

  private ShutdownSignals() {}

  /**
   * Runs {@code shutdown} on a new thread at the first SIGTERM or SIGINT, and {@code reload} at
   * each SIGHUP (which by the JVM's default would stop the master). {@code reload} must return at
   * once: it runs on the JVM's signal thread.
   */
  static void install(Runnable shutdown, Runnable reload) {
    Signal.handle(
        new Signal("HUP"),
        s -> {
          log.info("SIGHUP received: reloading the settings");
          reload.run();
        });
    // By the JVM's default SIGUSR1 ends the process at once, without draining: logrotate-style
    // scripts send it to ask for reopened logs, which the master (logging to stdout) never needs.
    Signal.handle(
        new Signal("USR1"),
        s -> log.warn("SIGUSR1 received: the master logs to standard output and has no files to reopen; ignored"));
    // The first SIGTERM or SIGINT that arrived, once one has.
    AtomicReference<String> first = new AtomicReference<>();
    Signal.handle(
        new Signal("TERM"),
        s -> {
          if (first.compareAndSet(null, "SIGTERM")) {
            start(shutdown, "SIGTERM");
          } else {
            log.info("SIGTERM received: already shutting down since {} (Ctrl-C exits at once)", first.get());
          }
        });
    Signal.handle(
        new Signal("INT"),
        s -> {
          if (first.compareAndSet(null, "SIGINT")) {
            start(shutdown, "SIGINT (Ctrl-C)");
          } else {
            log.warn(
                "SIGINT (Ctrl-C) received while shutting down since {}: exiting now with code 130, without"
                    + " waiting for tasks in progress; the workers exit by themselves",
                first.get());
            io.drover.master.internal.logging.LoggingShutdown.flush();
            Runtime.getRuntime().halt(130);
          }
        });
  }

  private static void start(Runnable shutdown, String signal) {
    log.info("{} received: shutting down gracefully (Ctrl-C again exits at once)", signal);
    Thread t = new Thread(shutdown, "drover-shutdown");
    t.start();
  }
}
