package io.drover.master.internal.admin;

import java.util.concurrent.Executor;

/**
 * Which path does what. A new endpoint is one more {@code .get(path, route)} line in {@link
 * #standard}.
 */
public final class AdminRoutes {
  private AdminRoutes() {}

  /**
   * The master's routes: probes and status. Answers are rendered on {@code adminLoop}, not on the
   * thread whose snapshot completes last.
   */
  public static AdminRouter standard(StatusSource source, Executor adminLoop) {
    return new AdminRouter()
        .get("/healthz", ProbeRoutes::health)
        .get("/metrics", new MetricsRoute(source, adminLoop))
        .get("/readyz", ProbeRoutes.ready(source, adminLoop))
        .get("/status", new StatusRoute(source, adminLoop));
  }
}
