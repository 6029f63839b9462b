package io.drover.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover reload}, {@code drover scale}, {@code drover restart} and {@code drover upgrade}: the verbs that change a
 * running master through its admin endpoint. Exit codes: 0 done, 1 refused or failed (the reason
 * on standard error), 2 a usage error.
 */
final class ControlCommands {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often a waiting verb looks at /status. */
  private static final Duration POLL = Duration.ofMillis(250);

  private ControlCommands() {}

  /** The options every verb that changes the master takes. */
  static final class Target {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "The master's admin endpoint (default: " + AdminEndpoint.DEFAULT + ").")
    String admin = AdminEndpoint.DEFAULT;

    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        description = "The admin token (default: $DROVER_ADMIN_TOKEN, else admin.token in the master's runtime directory).")
    Path tokenFile;

    AdminEndpoint endpoint() {
      return AdminEndpoint.parse(spec, "--admin", admin);
    }

    /** POSTs {@code path}; a refusal for the token is an IOException naming it. */
    AdminEndpoint.Answer post(String path) throws IOException, InterruptedException {
      AdminEndpoint endpoint = endpoint();
      AdminEndpoint.Answer a = endpoint.post(path, AdminTokenFile.find(endpoint, tokenFile));
      if (a.status() == 401 || a.status() == 403) {
        throw new IOException(endpoint + " refused the admin token (" + a.status() + "): " + firstLine(a.body()));
      }
      return a;
    }
  }

  /** Says {@code why} on standard error after the verb's name; the exit code of a refusal, 1. */
  static int failed(CommandSpec spec, String why) {
    spec.commandLine().getErr().println(spec.qualifiedName() + ": " + why);
    spec.commandLine().getErr().flush();
    return 1;
  }

  static String firstLine(String body) {
    return body.lines().findFirst().orElse("").strip();
  }

  /** {@code drover reload}. */
  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description =
          "Make a running master read its configuration file again and apply what changed (as SIGHUP does);"
              + " exit 1, changing nothing, when the file does not validate.")
  static final class Reload implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Override
    public Integer call() throws Exception {
      AdminEndpoint.Answer a = target.post("/reload");
      if (a.status() != 200 && a.status() != 422) {
        throw new IOException(target.endpoint() + "/reload answered " + a.status() + ": " + firstLine(a.body()));
      }
      JsonNode outcome = JSON.readTree(a.body());
      if (!outcome.at("/ok").asBoolean()) {
        return failed(spec, outcome.at("/summary").asText());
      }
      spec.commandLine().getOut().println(outcome.at("/summary").asText());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code drover scale N|+K|-K}. */
  @Command(
      name = "scale",
      mixinStandardHelpOptions = true,
      description = "Grow or shrink a running master's pool of workers: N workers, or K more (+K) or fewer (-K). Removed workers drain first.")
  static final class Scale implements Callable<Integer> {
    private static final Pattern COUNT = Pattern.compile("[+-]?\\d{1,9}");

    @Spec CommandSpec spec;
    @Mixin Target target;

    @Parameters(paramLabel = "N|+K|-K", description = "The pool's new size, or a change to it.")
    String workers;

    @Option(names = "--wait", description = "Wait until the pool has that many workers ready (and no more).")
    boolean waitForIt;

    @Option(names = "--timeout", paramLabel = "S", description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 120;

    @Override
    public Integer call() throws Exception {
      if (!COUNT.matcher(workers).matches()) {
        throw OptionErrors.badValue(spec, "N|+K|-K", workers, "a count such as 4, +2 or -1");
      }
      AdminEndpoint.Answer a = target.post("/scale?workers=" + java.net.URLEncoder.encode(workers, java.nio.charset.StandardCharsets.US_ASCII));
      if (a.status() != 200) {
        return failed(spec, firstLine(a.body()));
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(firstLine(a.body()));
      out.flush();
      if (!waitForIt) {
        return 0;
      }
      AdminEndpoint endpoint = target.endpoint();
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      while (true) {
        JsonNode status = JSON.readTree(endpoint.get("/status"));
        int size = status.at("/master/workersConfigured").asInt();
        int ready = status.at("/master/workersReady").asInt();
        int live = status.at("/workers").size();
        if (ready == size && live == size) {
          out.println(size + " workers ready");
          out.flush();
          return 0;
        }
        if (System.nanoTime() > deadline) {
          return failed(spec, ready + " of " + size + " workers ready after " + timeoutSeconds + " s (drover status says why)");
        }
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  /** {@code drover restart [--worker ID]}. */
  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description =
          "Replace a running master's workers one at a time, each replacement ready before its worker drains (after"
              + " replacing a handler jar on disk); waits for the end and exits 1 if the rollout stops.")
  static final class Restart implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Option(names = "--worker", paramLabel = "ID", description = "Replace only this worker.")
    Integer worker;

    @Option(names = "--no-wait", description = "Return once the rollout has begun; drover status follows it.")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
      AdminEndpoint.Answer a = target.post(worker == null ? "/restart" : "/restart?worker=" + worker);
      PrintWriter out = spec.commandLine().getOut();
      if (a.status() != 202) {
        return failed(spec, firstLine(a.body()));
      }
      String last = firstLine(a.body());
      out.println(last);
      out.flush();
      AdminEndpoint endpoint = target.endpoint();
      while (!noWait) {
        String now = JSON.readTree(endpoint.get("/status")).at("/master/rollout").asText("");
        if (!now.equals(last)) {
          last = now;
          out.println(now);
          out.flush();
        }
        if (now.startsWith("rolling restart done")) {
          return 0;
        }
        if (now.startsWith("rolling restart stopped")) {
          return 1;
        }
        Thread.sleep(POLL.toMillis());
      }
      return 0;
    }
  }

  /** {@code drover upgrade [--jar NEW.jar]}. */
  @Command(
      name = "upgrade",
      mixinStandardHelpOptions = true,
      description =
          "Replace a running master by a new one (the same command line, or --jar's) without closing its sockets: the"
              + " new master starts its workers, then takes the listening sockets while the old one drains and exits."
              + " Exits 1, with the old master still serving, if the new one fails or is not ready in time.")
  static final class Upgrade implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Option(names = "--jar", paramLabel = "NEW.jar", description = "The new master's jar (default: the running master's command line unchanged).")
    Path jar;

    @Option(names = "--timeout", paramLabel = "S", description = "How long the new master has to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 120;

    @Override
    public Integer call() throws Exception {
      if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
        throw OptionErrors.badValue(spec, "--timeout", Integer.toString(timeoutSeconds), "seconds, 1..3600");
      }
      String path = "/upgrade?timeout=" + timeoutSeconds;
      if (jar != null) {
        Path absolute = jar.toAbsolutePath().normalize();
        if (!java.nio.file.Files.isRegularFile(absolute)) {
          throw OptionErrors.badValue(spec, "--jar", jar.toString(), "a jar file that exists");
        }
        path += "&jar=" + java.net.URLEncoder.encode(absolute.toString(), java.nio.charset.StandardCharsets.UTF_8);
      }
      AdminEndpoint endpoint = target.endpoint();
      long oldPid = JSON.readTree(endpoint.get("/status")).at("/master/pid").asLong();
      AdminEndpoint.Answer a = target.post(path);
      PrintWriter out = spec.commandLine().getOut();
      if (a.status() != 202) {
        return failed(spec, firstLine(a.body()));
      }
      out.println(firstLine(a.body()));
      out.flush();
      // The old master drains after the hand-over: allow for its shutdown too before giving up.
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds + 60L).toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode master;
        try {
          master = JSON.readTree(endpoint.get("/status")).path("master");
        } catch (IOException e) {
          Thread.sleep(POLL.toMillis()); // between the two masters' accepts; the socket stays open
          continue;
        }
        long pid = master.path("pid").asLong();
        String upgrade = master.path("upgrade").asText("");
        if (pid != 0 && pid != oldPid) {
          out.println("upgraded: master pid " + pid + " serves (" + master.path("workersReady").asInt() + " workers ready); pid " + oldPid + " drains and exits");
          out.flush();
          return 0;
        }
        if (upgrade.startsWith("upgrade failed")) {
          return failed(spec, upgrade);
        }
        Thread.sleep(POLL.toMillis());
      }
      return failed(spec, "no outcome within " + (timeoutSeconds + 60) + " s (drover status says where the upgrade is)");
    }
  }
}
