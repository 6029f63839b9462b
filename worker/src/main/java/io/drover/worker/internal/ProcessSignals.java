package io.drover.worker.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The signal policy of a worker process, the same whether Drover's main or a user's runs it. */
public final class ProcessSignals {
  private ProcessSignals() {}

  /**
   * SIGTERM from outside runs {@code drain} (finish the tasks held, then exit 0; the master starts
   * a replacement). SIGINT is ignored: a Ctrl-C in the master's terminal reaches the whole process
   * group, workers included, and the master then drains them itself, so a worker must not die
   * with its tasks in flight.
   *
   * @return null, or why the handlers could not be installed (the JVM reserves the signals, for
   *     example under {@code -Xrs})
   */
  public static String drainOnTermIgnoreInt(Runnable drain) {
    try {
      Signal.handle(new Signal("TERM"), signal -> drain.run());
      Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
      return null;
    } catch (IllegalArgumentException e) {
      return "cannot handle SIGTERM and SIGINT here: " + e.getMessage();
    }
  }
}
