package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** {@code GET /status}: the master's state as JSON ({@link StatusJson}), rendered on the admin loop. */
final class StatusRoute implements AdminRoute {
  private final StatusSource source;
  private final Executor adminLoop;

  StatusRoute(StatusSource source, Executor adminLoop) {
    this.source = source;
    this.adminLoop = adminLoop;
  }

  @Override
  public CompletionStage<AdminResponse> respond(AdminRequest request) {
    return source
        .snapshot()
        .thenApplyAsync(s -> AdminResponse.json(HttpResponseStatus.OK, StatusJson.render(s)), adminLoop);
  }
}
