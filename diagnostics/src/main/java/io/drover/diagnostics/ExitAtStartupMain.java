package io.drover.diagnostics;

/**
 * A worker main class that exits with status 3 before registering: given to the master as {@code
 * --worker-main-class io.drover.diagnostics.ExitAtStartupMain}, it makes every worker crash at
 * start-up, to watch the backoff and the crash-loop state.
 */
public final class ExitAtStartupMain {
  /** The exit status. */
  public static final int EXIT_STATUS = 3;

  private ExitAtStartupMain() {}

  /** Prints one line to stderr and exits with {@link #EXIT_STATUS}. */
  public static void main(String[] args) {
    System.err.println("drover diagnostics: exiting at start-up with code " + EXIT_STATUS + " as asked");
    System.exit(EXIT_STATUS);
  }
}
