package io.drover.master.internal.admin;

import io.drover.master.internal.logging.LogRing;
import java.util.concurrent.Executor;

/**
 * Which path does what. A new endpoint is one more {@code .get(path, route)} line in {@link
 * #standard}.
 */
public final class AdminRoutes {
  private AdminRoutes() {}

  /**
   * The master's routes: probes, status and logs (from {@code logs}). Answers are rendered on
   * {@code adminLoop}, not on the thread whose snapshot completes last.
   */
  public static AdminRouter standard(StatusSource source, LogRing logs, Executor adminLoop) {
    return new AdminRouter()
        .get("/healthz", ProbeRoutes::health)
        .get("/readyz", ProbeRoutes.ready(source, adminLoop))
        .get("/status", new StatusRoute(source, adminLoop))
        .get("/logs", new LogsRoute(logs, adminLoop));
  }
}
