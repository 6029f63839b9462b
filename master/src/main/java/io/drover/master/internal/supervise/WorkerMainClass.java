package io.drover.master.internal.supervise;

import io.drover.master.config.MasterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks, before any worker is spawned, that the worker main class is on the worker classpath:
 * otherwise every worker JVM would die at once with {@code ClassNotFoundException} and the pool
 * would crash-loop for ever. The class file is looked up the way {@code java -cp} finds it (jars,
 * directories, {@code dir/*} wildcards, jars named by a jar's {@code Class-Path}), without loading
 * or running anything.
 */
public final class WorkerMainClass {
  private WorkerMainClass() {}

  /**
   * Null when {@code config}'s worker main class is on its worker classpath (or no worker JVM is
   * started: inline mode), else a one-line explanation naming both options.
   */
  public static String problem(MasterConfig config) {
    return config.inline() ? null : problem(config.workerMainClass(), config.fullWorkerClasspath());
  }

  /** Null when {@code mainClass} is found on {@code classpath}, else a one-line explanation. */
  static String problem(String mainClass, List<Path> classpath) {
    String resource = mainClass.replace('.', '/') + ".class";
    try (URLClassLoader loader = new URLClassLoader(urls(classpath), null)) {
      if (loader.findResource(resource) != null) {
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "worker main class " + mainClass + " (--worker-main-class) is not on the worker classpath "
        + classpath + ": add the jar or directory that holds it with --worker-classpath (which"
        + " replaces the bundled examples jar)";
  }

  private static URL[] urls(List<Path> classpath) throws IOException {
    List<URL> urls = new ArrayList<>();
    for (Path entry : classpath) {
      Path name = entry.getFileName();
      if (name != null && name.toString().equals("*")) {
        Path dir = entry.getParent() == null ? Path.of(".") : entry.getParent();
        if (Files.isDirectory(dir)) {
          try (Stream<Path> jars = Files.list(dir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar") || p.toString().endsWith(".JAR")).toList()) {
              urls.add(url(jar));
            }
          }
        }
      } else {
        urls.add(url(entry));
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static URL url(Path entry) throws MalformedURLException {
    return entry.toAbsolutePath().toUri().toURL();
  }
}
