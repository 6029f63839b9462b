package io.drover.master.internal.supervise;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.MasterConfigBuilder;
import io.drover.worker.TaskHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The worker classpath seen as where the handlers come from. Checked before anything is spawned,
 * so that a missing jar, a file that is not a jar or a jar without handlers is one line naming the
 * file, not every worker failing at start-up; and described for the log line that says which task
 * types the workers serve.
 *
 * <p>A directory is accepted as an entry: it is a directory of classes, as on any Java classpath
 * (a build's {@code target/classes}).
 */
public final class HandlerClasspath {
  /** Where a jar lists its handlers for {@link java.util.ServiceLoader}. */
  static final String SERVICES = "META-INF/services/" + TaskHandler.class.getName();

  private HandlerClasspath() {}

  /**
   * The first problem with {@code config}'s handler jars, or null when there is none: an entry
   * that does not exist, cannot be read or is not a jar; or, when the workers can only find their
   * handlers with {@link java.util.ServiceLoader} (Drover's own worker main, or inline mode), a
   * worker classpath that lists no handler class in {@value #SERVICES}.
   */
  public static String problem(MasterConfig config) {
    for (Path entry : config.workerClasspath()) {
      String problem = entryProblem(entry);
      if (problem != null) {
        return "worker classpath: " + problem;
      }
    }
    if (mainMayAddHandlers(config)) {
      return null;
    }
    for (Path entry : config.fullWorkerClasspath()) {
      if (listsHandler(entry)) {
        return null;
      }
    }
    return "worker classpath: " + noHandlers(config.workerClasspath());
  }

  /**
   * Where the handlers come from, for the log: {@code "from --worker-classpath my-handlers.jar"},
   * or the bundled examples jar when no classpath was given.
   */
  public static String describe(MasterConfig config) {
    List<Path> jars = config.workerClasspath();
    String source;
    if (jars.isEmpty()) {
      source = "from the worker runtime classpath";
    } else if (jars.size() == 1 && jars.get(0).endsWith(MasterConfigBuilder.EXAMPLES_JAR)) {
      source = "from the bundled examples, " + jars.get(0) + "; --worker-classpath replaces them";
    } else {
      source = "from --worker-classpath " + join(jars, ":");
    }
    return mainMayAddHandlers(config) ? source + ", worker main class " + config.workerMainClass() : source;
  }

  /** A worker main of the user's own may give its handlers in code, with or without a jar. */
  private static boolean mainMayAddHandlers(MasterConfig config) {
    return !config.inline() && !config.workerMainClass().equals(MasterConfig.DEFAULT_WORKER_MAIN);
  }

  private static String entryProblem(Path entry) {
    if (!Files.exists(entry)) {
      return entry + " does not exist";
    }
    if (Files.isDirectory(entry)) {
      return Files.isReadable(entry) ? null : entry + " is a directory that cannot be read";
    }
    if (!Files.isRegularFile(entry)) {
      return entry + " is not a file (expected: a jar, or a directory of classes)";
    }
    if (!Files.isReadable(entry)) {
      return entry + " cannot be read (permission denied)";
    }
    try (ZipFile jar = new ZipFile(entry.toFile())) {
      return null;
    } catch (ZipException e) {
      return entry + " is not a jar (it is not a zip file)";
    } catch (IOException e) {
      return entry + " cannot be read: " + e.getMessage();
    }
  }

  private static String noHandlers(List<Path> jars) {
    if (jars.isEmpty()) {
      return "no handler jar given (--worker-classpath), and the worker runtime lists no TaskHandler";
    }
    return (jars.size() == 1 ? "no TaskHandler in " + jars.get(0) : "no TaskHandler in any of " + join(jars, ", "))
        + " (no class listed in " + SERVICES + "; list your handlers there, or give --worker-main-class"
        + " a main that adds them in code)";
  }

  /** Whether {@code entry}, a jar or a directory, lists at least one handler class. */
  private static boolean listsHandler(Path entry) {
    try {
      if (Files.isDirectory(entry)) {
        Path services = entry.resolve(SERVICES);
        if (!Files.isRegularFile(services)) {
          return false;
        }
        try (InputStream in = Files.newInputStream(services)) {
          return namesAClass(in);
        }
      }
      if (!Files.isRegularFile(entry)) {
        return false;
      }
      try (ZipFile jar = new ZipFile(entry.toFile())) {
        ZipEntry services = jar.getEntry(SERVICES);
        if (services == null) {
          return false;
        }
        try (InputStream in = jar.getInputStream(services)) {
          return namesAClass(in);
        }
      }
    } catch (IOException e) {
      return false; // an entry of the runtime classpath the check does not own (a missing build directory)
    }
  }

  /** Whether a provider-configuration file names a class (the format ServiceLoader reads). */
  private static boolean namesAClass(InputStream in) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      int comment = line.indexOf('#');
      if (!(comment < 0 ? line : line.substring(0, comment)).isBlank()) {
        return true;
      }
    }
    return false;
  }

  private static String join(List<Path> paths, String separator) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(separator));
  }
}
