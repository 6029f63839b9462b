package io.drover.diagnostics;

import java.util.concurrent.CountDownLatch;

/**
 * A worker main class that never registers: given to the master as {@code --worker-main-class
 * io.drover.diagnostics.HangAtStartupMain}, its workers stay in STARTING until the master's start
 * timeout kills them, to watch that path.
 */
public final class HangAtStartupMain {
  private HangAtStartupMain() {}

  /** Prints one line to stderr and waits until the process is killed. */
  public static void main(String[] args) throws InterruptedException {
    System.err.println("drover diagnostics: hanging at start-up, never registering, as asked");
    new CountDownLatch(1).await();
  }
}
