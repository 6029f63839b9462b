package io.drover.master.internal.admin;

import io.drover.master.internal.logging.LogRing;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Which path does what. A new endpoint is one more {@code .get(path, route)} line in {@link
 * #standard}.
 */
public final class AdminRoutes {
  private AdminRoutes() {}

  /**
   * The master's routes: the status page, probes, metrics, status and its history, and logs
   * (from {@code logs}) to read; and (with the token {@code authorization} checks) reload, scale
   * and restart to change it. Answers are rendered on {@code adminLoop}, not on the thread whose
   * snapshot completes last.
   */
  public static AdminRouter standard(
      StatusSource source,
      LogRing logs,
      MasterControl control,
      AdminAuthorization authorization,
      ScheduledExecutorService adminLoop) {
    return new AdminRouter()
        .authorization(authorization)
        .post("/reload", ControlRoutes.reload(control, adminLoop))
        .post("/scale", ControlRoutes.scale(control, adminLoop))
        .post("/restart", ControlRoutes.restart(control, adminLoop))
        .post("/upgrade", ControlRoutes.upgrade(control, adminLoop))
        .get("/", StatusPage.route())
        .get("/healthz", ProbeRoutes::health)
        .get("/metrics", new MetricsRoute(source, adminLoop))
        .get("/readyz", ProbeRoutes.ready(source, adminLoop))
        .get("/status", new StatusRoute(source, adminLoop))
        .get("/status/history", HistoryRoute.sampling(source, adminLoop))
        .get("/logs", new LogsRoute(logs, adminLoop));
  }
}
