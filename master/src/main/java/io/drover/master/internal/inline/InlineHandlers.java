package io.drover.master.internal.inline;

import io.drover.worker.TaskHandler;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Loads the TaskHandlers of the worker classpath into the master, as a worker would. */
public final class InlineHandlers {
  private InlineHandlers() {}

  /**
   * The handlers found with {@link ServiceLoader} in {@code jars} (and the master's own
   * classpath), by task type.
   *
   * @throws IllegalArgumentException when two handlers serve the same type or none is found
   */
  public static Map<String, TaskHandler> load(List<Path> jars) {
    URL[] urls =
        jars.stream()
            .map(
                p -> {
                  try {
                    return p.toUri().toURL();
                  } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("bad classpath entry " + p, e);
                  }
                })
            .toArray(URL[]::new);
    ClassLoader loader = new URLClassLoader("drover-inline-handlers", urls, InlineHandlers.class.getClassLoader());
    Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    for (TaskHandler h : ServiceLoader.load(TaskHandler.class, loader)) {
      TaskHandler previous = handlers.putIfAbsent(h.taskType(), h);
      if (previous != null && previous.getClass() != h.getClass()) {
        throw new IllegalArgumentException(
            "duplicate handler for task type '" + h.taskType() + "': "
                + previous.getClass().getName() + " and " + h.getClass().getName());
      }
    }
    if (handlers.isEmpty()) {
      throw new IllegalArgumentException("no TaskHandler found on the worker classpath " + jars);
    }
    return handlers;
  }
}
