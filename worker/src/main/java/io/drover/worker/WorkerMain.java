package io.drover.worker;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The worker process the master launches: {@code java -cp drover.jar:handlers.jar
 * io.drover.worker.WorkerMain}. Settings come from the environment ({@link
 * DroverWorkerBuilder#fromEnvironment()}), optionally overridden by {@code --socket PATH}, {@code
 * --worker-id N} and {@code --capacity N}; handlers are found with {@link
 * java.util.ServiceLoader}. It runs the worker with {@link DroverWorker#run()}, as a worker main
 * of your own does: SIGTERM drains the worker, SIGINT is ignored.
 *
 * <p>Exit status: {@value #EXIT_OK} after a drain or when the master closed the connection;
 * {@value #EXIT_FAILED} when the worker cannot start (no handlers, socket unreachable) or stopped
 * on a protocol error; {@value #EXIT_USAGE} for a bad flag or environment value.
 */
public final class WorkerMain {
  /** Drained, or the master closed the connection. */
  public static final int EXIT_OK = 0;
  /** Could not start, or stopped on an error. */
  public static final int EXIT_FAILED = 1;
  /** A bad command-line flag or environment value. */
  public static final int EXIT_USAGE = 2;

  private WorkerMain() {}

  /** Runs a worker until it stops, then exits the JVM with the status above. */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream err) {
    DroverWorker worker;
    try {
      DroverWorkerBuilder builder = DroverWorker.builder().fromEnvironment(env);
      applyFlags(builder, args);
      worker = builder.discoverHandlers().build();
    } catch (IllegalArgumentException e) {
      err.println("drover worker: " + e.getMessage());
      return EXIT_USAGE;
    } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
      err.println("drover worker: " + e.getMessage());
      return EXIT_FAILED;
    }
    return worker.run(err);
  }

  private static void applyFlags(DroverWorkerBuilder builder, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--socket", "--worker-id", "--capacity" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + ": missing value");
            }
            value = args[++i];
          }
          switch (name) {
            case "--socket" -> builder.socketPath(Path.of(value));
            case "--worker-id" -> builder.workerId(DroverWorkerBuilder.parseInt(name, value));
            default -> builder.capacity(DroverWorkerBuilder.parseInt(name, value));
          }
        }
        default -> throw new IllegalArgumentException(
            "unknown argument '" + arg + "' (expected: --socket PATH, --worker-id N, --capacity N)");
      }
    }
  }
}
