package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /reload}, {@code POST /scale?workers=N|+K|-K}, {@code POST /restart[?worker=ID]} and
 * {@code POST /upgrade[?jar=PATH][&timeout=S]}:
 * the admin endpoint's routes that change the master (the router checks their token). Each
 * answers as soon as the change has begun; a rolling restart's progress is in {@code /status}.
 */
final class ControlRoutes {
  private static final Pattern WORKERS = Pattern.compile("([+-]?)(\\d{1,9})");

  private ControlRoutes() {}

  /** 200 with the outcome as JSON; 422 with it when the settings did not validate. */
  static AdminRoute reload(MasterControl control, Executor adminLoop) {
    return request ->
        control
            .reload()
            .thenApplyAsync(
                outcome ->
                    AdminResponse.json(
                        outcome.ok() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY,
                        (StatusJson.reload(outcome).toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8)),
                adminLoop);
  }

  /** 200 with what was done; 400 for a bad count; 409 when the master cannot scale now. */
  static AdminRoute scale(MasterControl control, Executor adminLoop) {
    return request -> {
      String given = request.parameter("workers");
      Matcher m = given == null ? null : WORKERS.matcher(given);
      if (m == null || !m.matches()) {
        return done(
            AdminResponse.text(
                HttpResponseStatus.BAD_REQUEST,
                "workers: " + (given == null ? "missing" : AdminRouter.printable(given)) + " (expected: N, +K or -K, as in /scale?workers=4)"));
      }
      long n = Long.parseLong(m.group(2));
      long target = m.group(1).isEmpty() ? n : control.poolSize() + (m.group(1).equals("+") ? n : -n);
      if (target < 1 || target > io.drover.master.config.SettingChecks.MAX_WORKERS) {
        return done(
            AdminResponse.text(
                HttpResponseStatus.BAD_REQUEST,
                "workers: " + given + " makes " + target + " (expected: 1.." + io.drover.master.config.SettingChecks.MAX_WORKERS + ")"));
      }
      return answer(control.scale((int) target), adminLoop);
    };
  }

  /** 202 once the rollout has begun; 400 for a bad id; 409 when one is in progress or the id is not in the pool. */
  static AdminRoute restart(MasterControl control, Executor adminLoop) {
    return request -> {
      String given = request.parameter("worker");
      Integer worker = null;
      if (given != null) {
        try {
          worker = Integer.valueOf(given);
        } catch (NumberFormatException e) {
          return done(AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "worker: " + AdminRouter.printable(given) + " (expected: a worker id, as in /restart?worker=2)"));
        }
      }
      return control
          .restart(worker)
          .handleAsync(
              (line, failure) ->
                  failure == null
                      ? AdminResponse.text(HttpResponseStatus.ACCEPTED, line)
                      : AdminResponse.text(HttpResponseStatus.CONFLICT, message(failure)),
              adminLoop);
    };
  }

  /**
   * 202 once the new master runs; 400 for a bad jar or timeout; 409 when the master cannot be
   * upgraded now; 500 when the new master could not be started. Its outcome is {@code
   * master.upgrade} in {@code /status}.
   */
  static AdminRoute upgrade(MasterControl control, Executor adminLoop) {
    return request -> {
      String jar = request.parameter("jar");
      if (jar != null && (jar.isEmpty() || !java.nio.file.Path.of(jar).isAbsolute())) {
        return done(AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "jar: " + AdminRouter.printable(jar) + " (expected: an absolute path to the new jar)"));
      }
      String given = request.parameter("timeout");
      long seconds = DEFAULT_UPGRADE_TIMEOUT_SECONDS;
      if (given != null) {
        try {
          seconds = Long.parseLong(given);
        } catch (NumberFormatException e) {
          seconds = -1;
        }
        if (seconds < 1 || seconds > 3600) {
          return done(AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "timeout: " + AdminRouter.printable(given) + " (expected: seconds, 1..3600)"));
        }
      }
      return control
          .upgrade(jar == null ? null : java.nio.file.Path.of(jar), java.time.Duration.ofSeconds(seconds))
          .handleAsync(
              (line, failure) -> failure == null ? AdminResponse.text(HttpResponseStatus.ACCEPTED, line) : upgradeRefused(failure),
              adminLoop);
    };
  }

  /** How long a new master has to be ready unless the request says otherwise. */
  static final long DEFAULT_UPGRADE_TIMEOUT_SECONDS = 120;

  private static AdminResponse upgradeRefused(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    HttpResponseStatus status = HttpResponseStatus.CONFLICT;
    if (cause instanceof io.drover.master.internal.upgrade.UpgradeException u) {
      status =
          switch (u.kind()) {
            case BAD_REQUEST -> HttpResponseStatus.BAD_REQUEST;
            case CONFLICT -> HttpResponseStatus.CONFLICT;
            case FAILED -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
          };
    }
    return AdminResponse.text(status, String.valueOf(cause.getMessage()));
  }

  private static CompletionStage<AdminResponse> answer(CompletionStage<String> change, Executor adminLoop) {
    return change.handleAsync(
        (line, failure) ->
            failure == null
                ? AdminResponse.text(HttpResponseStatus.OK, line)
                : AdminResponse.text(HttpResponseStatus.CONFLICT, message(failure)),
        adminLoop);
  }

  private static String message(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return String.valueOf(cause.getMessage());
  }

  private static CompletionStage<AdminResponse> done(AdminResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
