package io.drover.master.internal.admin;

import io.drover.master.internal.metrics.MetricsScrape;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /metrics}: the Prometheus metrics ({@link MetricsScrape}), in the format the {@code
 * Accept} header asks for, rendered on the admin loop from copies the owners made.
 */
final class MetricsRoute implements AdminRoute {
  private final StatusSource source;
  private final Executor adminLoop;

  MetricsRoute(StatusSource source, Executor adminLoop) {
    this.source = source;
    this.adminLoop = adminLoop;
  }

  @Override
  public CompletionStage<AdminResponse> respond(AdminRequest request) {
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    return source
        .metrics()
        .thenApplyAsync(
            m -> {
              MetricsScrape.Response r = MetricsScrape.render(m, accept);
              return new AdminResponse(HttpResponseStatus.OK, r.contentType(), r.body(), Map.of());
            },
            adminLoop);
  }
}
