package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /healthz} and {@code /readyz}, for load balancers and Kubernetes probes. Liveness says
 * only that the master answers (the admin loop runs); readiness that it can take tasks now: some
 * worker is ready and it is not shutting down.
 */
final class ProbeRoutes {
  private ProbeRoutes() {}

  /** 200 {@code ok} whenever the endpoint answers at all. */
  static CompletionStage<AdminResponse> health(AdminRequest request) {
    return CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.OK, "ok"));
  }

  /** 200 {@code ready} with the count of ready workers, or 503 with the reason. */
  static AdminRoute ready(StatusSource source, java.util.concurrent.Executor adminLoop) {
    return request ->
        source
            .snapshot()
            .thenApplyAsync(
                s -> {
                  String reason = s.notReadyReason();
                  return reason == null
                      ? AdminResponse.text(HttpResponseStatus.OK, "ready: " + s.readyWorkers() + " workers ready")
                      : AdminResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready: " + reason);
                },
                adminLoop);
  }
}
