package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.config.MasterConfig;
import io.drover.master.config.MasterConfigBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the master says about a worker classpath before it spawns anything. */
class HandlerClasspathTest {
  @TempDir Path tmp;

  /** A config whose worker runtime (a stand-in for drover.jar) lists no handler. */
  private MasterConfigBuilder config(Path... handlerJars) throws IOException {
    Path runtime = Files.createDirectories(tmp.resolve("runtime"));
    return MasterConfig.builder().workerRuntimeClasspath(List.of(runtime)).workerClasspath(List.of(handlerJars));
  }

  private static String problem(MasterConfigBuilder b) {
    return HandlerClasspath.problem(b.build());
  }

  /** A jar holding {@code entries}: name, then content, in pairs. */
  private Path jar(String name, String... entries) throws IOException {
    Path jar = tmp.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (int i = 0; i < entries.length; i += 2) {
        out.putNextEntry(new ZipEntry(entries[i]));
        out.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  private Path handlersJar(String name) throws IOException {
    return jar(name, HandlerClasspath.SERVICES, "# the upper-case handler\ncom.example.UpperHandler\n");
  }

  @Test
  void aJarListingAHandlerPasses() throws IOException {
    assertThat(problem(config(handlersJar("handlers.jar")))).isNull();
  }

  @Test
  void aMissingJarIsNamed() throws IOException {
    Path missing = tmp.resolve("my-handlers.jar");
    assertThat(problem(config(missing))).isEqualTo("worker classpath: " + missing + " does not exist");
  }

  @Test
  void aTextFileNamedJarIsNotAJar() throws IOException {
    Path text = Files.writeString(tmp.resolve("notes.jar"), "not a jar\n");
    assertThat(problem(config(handlersJar("handlers.jar"), text)))
        .isEqualTo("worker classpath: " + text + " is not a jar (it is not a zip file)");
  }

  @Test
  void anEmptyFileIsNotAJar() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.jar"));
    assertThat(problem(config(empty))).isEqualTo("worker classpath: " + empty + " is not a jar (it is not a zip file)");
  }

  @Test
  void aJarWithoutAServicesFileHasNoHandlers() throws IOException {
    Path lib = jar("lib.jar", "com/example/Util.class", "not really a class");
    assertThat(problem(config(lib)))
        .isEqualTo(
            "worker classpath: no TaskHandler in " + lib + " (no class listed in"
                + " META-INF/services/io.drover.worker.TaskHandler; list your handlers there, or give"
                + " --worker-main-class a main that adds them in code)");
  }

  @Test
  void aServicesFileWithOnlyCommentsListsNoHandler() throws IOException {
    Path jar = jar("commented.jar", HandlerClasspath.SERVICES, "# com.example.UpperHandler\n\n");
    assertThat(problem(config(jar))).startsWith("worker classpath: no TaskHandler in " + jar + " (");
  }

  @Test
  void aLibraryJarBesideTheHandlerJarIsFine() throws IOException {
    Path lib = jar("lib.jar", "com/example/Util.class", "x");
    assertThat(problem(config(lib, handlersJar("handlers.jar")))).isNull();
  }

  @Test
  void severalJarsWithoutHandlersAreAllNamed() throws IOException {
    Path a = jar("a.jar", "a.txt", "a");
    Path b = jar("b.jar", "b.txt", "b");
    assertThat(problem(config(a, b))).startsWith("worker classpath: no TaskHandler in any of " + a + ", " + b + " (");
  }

  @Test
  void aDirectoryOfClassesIsAnEntryLikeAJar() throws IOException {
    Path classes = tmp.resolve("classes");
    Files.createDirectories(classes.resolve("META-INF/services"));
    assertThat(problem(config(classes))).startsWith("worker classpath: no TaskHandler in " + classes + " (");
    Files.writeString(classes.resolve(HandlerClasspath.SERVICES), "com.example.UpperHandler\n");
    assertThat(problem(config(classes))).isNull();
  }

  @Test
  void aWorkerMainOfTheUsersOwnMayAddItsHandlersInCode() throws IOException {
    Path lib = jar("app.jar", "com/example/Main.class", "x");
    assertThat(problem(config(lib).workerMainClass("com.example.Main"))).isNull();
    assertThat(problem(config().workerMainClass("com.example.Main"))).isNull();
    // ... but its jars must still exist.
    Path missing = tmp.resolve("app2.jar");
    assertThat(problem(config(missing).workerMainClass("com.example.Main"))).contains(missing + " does not exist");
  }

  @Test
  void handlersOnTheWorkerRuntimeClasspathCount() throws IOException {
    Path runtime = handlersJar("drover.jar");
    MasterConfig c = MasterConfig.builder().workerRuntimeClasspath(List.of(runtime)).workerClasspath(List.of()).build();
    assertThat(HandlerClasspath.problem(c)).isNull();
  }

  @Test
  void noHandlerJarAndNoneInTheRuntimeIsSaidSo() throws IOException {
    assertThat(problem(config()))
        .isEqualTo(
            "worker classpath: no handler jar given (--worker-classpath), and the worker runtime lists no TaskHandler");
  }

  @Test
  void theSourceOfTheHandlersIsDescribedForTheLog() throws IOException {
    Path mine = Path.of("my-handlers.jar");
    Path lib = Path.of("lib/util.jar");
    Path examples = Path.of("/opt/drover", MasterConfigBuilder.EXAMPLES_JAR);
    assertThat(HandlerClasspath.describe(config(mine).build())).isEqualTo("from --worker-classpath my-handlers.jar");
    assertThat(HandlerClasspath.describe(config(mine, lib).build()))
        .isEqualTo("from --worker-classpath my-handlers.jar:lib/util.jar");
    assertThat(HandlerClasspath.describe(config(examples).build()))
        .isEqualTo("from the bundled examples, /opt/drover/drover-examples.jar; --worker-classpath replaces them");
    assertThat(HandlerClasspath.describe(config(mine).workerMainClass("com.example.Main").build()))
        .isEqualTo("from --worker-classpath my-handlers.jar, worker main class com.example.Main");
  }

  @Test
  void anUnreadableJarIsSaidSo() throws IOException {
    Path jar = handlersJar("secret.jar");
    assertThat(jar.toFile().setReadable(false)).isTrue();
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(jar), "running as root: every file is readable");
      assertThat(problem(config(jar))).isEqualTo("worker classpath: " + jar + " cannot be read (permission denied)");
    } finally {
      jar.toFile().setReadable(true);
    }
  }
}
