package io.drover.master;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.testing.ExampleHandlerProject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Your own handlers", followed as a user would: {@code examples/handler-project},
 * copied to a directory of its own, is built with Maven against Drover's libraries installed in a
 * local repository, and a master started with {@code scripts/drover master --worker-classpath} and
 * the jar it made serves its task type.
 *
 * <p>That local repository is a temporary one, so the user's own {@code ~/.m2} gets no Drover
 * artifact; every other artifact comes from the user's local repository through a mirror, so the
 * build downloads nothing ({@link HandlerProjectVersionsTest} keeps the example's plugin versions those
 * of Drover's build).
 */
class HandlerProjectIT {
  private static final Path DROVER =
      ExampleHandlerProject.DROVER_ROOT.resolve("scripts").resolve("drover");

  @TempDir Path tmp;
  private Process master;

  @AfterEach
  void stopMaster() throws InterruptedException {
    if (master != null && master.isAlive()) {
      List<ProcessHandle> workers = master.descendants().toList();
      master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      workers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theExampleProjectBuildsAgainstTheInstalledLibrariesAndAMasterServesItsHandler()
      throws Exception {
    Path repository = tmp.resolve("repository");
    ExampleHandlerProject.installLibraries(repository, System.getProperty("drover.version"));
    Path project = tmp.resolve("my-handlers");
    ExampleHandlerProject.copyTo(project);

    Path buildLog = tmp.resolve("build.log");
    ProcessBuilder mvnPackage =
        new ProcessBuilder(
                mvn(), "-B", "-s", settings().toString(),
                "-Dmaven.repo.local=" + repository, "package")
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(buildLog.toFile());
    mvnPackage.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process build = mvnPackage.start();
    build.getOutputStream().close();
    try {
      assertThat(build.waitFor(5, TimeUnit.MINUTES)).as("the example's build finished").isTrue();
    } finally {
      build.destroyForcibly();
    }
    String log = Files.readString(buildLog);
    assertThat(build.exitValue()).as("the example's build:%n%s", log).isZero();
    assertThat(log).as("the example's unit tests ran").contains("Tests run: 2, Failures: 0, Errors: 0");
    Path jar = project.resolve("target").resolve("my-handlers.jar");
    assertThat(jar).isRegularFile();

    serveUpperWith(jar, "master.log");
    // The README's "Embedding a worker": the same jar, handlers given in the project's own main.
    serveUpperWith(jar, "embedded.log", "--worker-main-class", "com.example.MyWorkerMain");
  }

  /** Starts a master on {@code jar} with {@code options}, submits to 'upper', stops it with SIGTERM. */
  private void serveUpperWith(Path jar, String logName, String... options) throws Exception {
    int port = freePort();
    Path masterLog = tmp.resolve(logName);
    List<String> command =
        new ArrayList<>(List.of(
            DROVER.toString(), "master", "--port", Integer.toString(port), "--workers", "1",
            "--no-worker-cds", "--worker-classpath", jar.toString()));
    command.addAll(List.of(options));
    master = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(masterLog.toFile()).start();
    // The master accepts connections before its worker is ready, and meanwhile answers
    // UNKNOWN_TASK_TYPE: ask until the worker serves the type (generous, a hang guard only).
    await("the master serves 'upper'")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> upper(port, "hello, drover").equals("HELLO, DROVER"));
    assertThat(upper(port, "second task")).isEqualTo("SECOND TASK");

    master.destroy(); // SIGTERM
    assertThat(master.waitFor(60, TimeUnit.SECONDS)).as("the master stopped").isTrue();
    assertThat(master.exitValue()).as(Files.readString(masterLog)).isZero();
  }

  private static String upper(int port, String text) throws Exception {
    try (DroverClient client = DroverClient.connect("127.0.0.1", port)) {
      return new String(client.submit("upper", text.getBytes(UTF_8)).get(30, TimeUnit.SECONDS), UTF_8);
    }
  }

  /**
   * User settings for the example's build: every repository is the user's own local repository
   * (the central repository's policy, releases only, still applies).
   */
  private Path settings() throws IOException {
    Path userRepository = Path.of(System.getProperty("drover.test.user.repository"));
    Path settings = tmp.resolve("settings.xml");
    Files.writeString(
        settings,
        """
        <settings>
          <mirrors>
            <mirror>
              <id>users-local-repository</id>
              <mirrorOf>*</mirrorOf>
              <url>%s</url>
            </mirror>
          </mirrors>
        </settings>
        """
            .formatted(userRepository.toUri()));
    return settings;
  }

  /** The Maven running this build, or the one on the PATH. */
  private static String mvn() {
    String home = System.getProperty("drover.test.maven.home", "");
    Path mvn = Path.of(home, "bin", "mvn");
    return !home.isEmpty() && Files.isExecutable(mvn) ? mvn.toString() : "mvn";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
