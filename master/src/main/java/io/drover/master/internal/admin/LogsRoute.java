package io.drover.master.internal.admin;

import io.drover.master.internal.logging.LogFilter;
import io.drover.master.internal.logging.LogLineFormat;
import io.drover.master.internal.logging.LogRing;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /logs?lines=N&worker=W&follow=1}: the last lines of the master's log and of its
 * workers' output from the {@link LogRing}, one per line in {@link LogLineFormat}'s form; with
 * {@code follow=1} the answer stays open and new lines follow as they come ({@link
 * LogFollowers}). {@code worker} is a worker slot id or {@code master}; without it, every line.
 * A bad parameter is answered 400 naming it and what it takes.
 */
final class LogsRoute implements AdminRoute {
  /** Lines answered when the request does not say. */
  static final int DEFAULT_LINES = 100;
  private static final Set<String> PARAMETERS = Set.of("lines", "worker", "follow");

  private final LogRing ring;
  private final LogFollowers followers;

  LogsRoute(LogRing ring, Executor adminLoop) {
    this.ring = ring;
    this.followers = new LogFollowers(ring, adminLoop);
  }

  /** How many readers follow now (admin loop only; for tests). */
  int following() {
    return followers.size();
  }

  @Override
  public CompletionStage<AdminResponse> respond(AdminRequest request) {
    return CompletableFuture.completedFuture(answer(request));
  }

  private AdminResponse answer(AdminRequest request) {
    for (String name : request.parameters().keySet()) {
      if (!PARAMETERS.contains(name)) {
        return badRequest("unknown parameter: " + AdminRouter.printable(name) + " (expected: lines, worker, follow)");
      }
    }
    String linesValue = request.parameter("lines");
    int lines = linesValue == null ? DEFAULT_LINES : parseInt(linesValue, 0, ring.maxLines());
    if (lines < 0) {
      return badRequest("lines: " + AdminRouter.printable(linesValue) + " (expected: an integer from 0 to " + ring.maxLines() + ")");
    }
    String workerValue = request.parameter("worker");
    LogFilter filter = filter(workerValue);
    if (filter == null) {
      return badRequest("worker: " + AdminRouter.printable(workerValue) + " (expected: master, or a worker id from 1)");
    }
    String followValue = request.parameter("follow");
    Boolean follow = followValue == null ? Boolean.FALSE : Map.of("1", true, "true", true, "0", false, "false", false).get(followValue);
    if (follow == null) {
      return badRequest("follow: " + AdminRouter.printable(followValue) + " (expected: 1 or 0)");
    }
    if (follow) {
      return AdminResponse.streamed(AdminResponse.TEXT, followers.follower(lines, filter));
    }
    String text = LogLineFormat.format(ring.last(lines, filter).lines());
    return new AdminResponse(HttpResponseStatus.OK, AdminResponse.TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The filter {@code worker=value} asks for, or null when it is not one. */
  private static LogFilter filter(String value) {
    if (value == null) {
      return LogFilter.ALL;
    }
    if (value.equals("master")) {
      return LogFilter.MASTER;
    }
    int id = parseInt(value, 1, Integer.MAX_VALUE);
    return id < 0 ? null : LogFilter.worker(id);
  }

  /** {@code value} as an integer from {@code min} to {@code max}, or -1. */
  private static int parseInt(String value, int min, int max) {
    if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    long n = Long.parseLong(value);
    return n < min || n > max ? -1 : (int) n;
  }

  private static AdminResponse badRequest(String message) {
    return AdminResponse.text(HttpResponseStatus.BAD_REQUEST, message);
  }
}
