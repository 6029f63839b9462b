package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker main class is looked for on the worker classpath as {@code java -cp} would. */
class WorkerMainClassTest {
  private static final String MAIN = "com.example.MyWorkerMain";

  @TempDir Path dir;

  private Path jar(String name, Manifest manifest, String... entries) throws IOException {
    Path jar = dir.resolve(name);
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest)) {
      for (String e : entries) {
        j.putNextEntry(new JarEntry(e));
        j.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
        j.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void foundInAJar() throws IOException {
    Path other = jar("drover.jar", null, "io/drover/worker/WorkerMain.class");
    Path mine = jar("mine.jar", null, "com/example/MyWorkerMain.class");
    assertThat(WorkerMainClass.problem(MAIN, List.of(other, mine))).isNull();
  }

  @Test
  void foundInADirectory() throws IOException {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes.resolve("com/example"));
    Files.write(classes.resolve("com/example/MyWorkerMain.class"), new byte[] {1});
    assertThat(WorkerMainClass.problem(MAIN, List.of(classes))).isNull();
  }

  @Test
  void foundThroughAWildcardEntry() throws IOException {
    jar("lib/mine.jar", null, "com/example/MyWorkerMain.class");
    assertThat(WorkerMainClass.problem(MAIN, List.of(dir.resolve("lib").resolve("*")))).isNull();
  }

  @Test
  void foundThroughAJarsClassPath() throws IOException {
    jar("lib/mine.jar", null, "com/example/MyWorkerMain.class");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/mine.jar");
    Path launcher = jar("launcher.jar", manifest);
    assertThat(WorkerMainClass.problem(MAIN, List.of(launcher))).isNull();
  }

  @Test
  void missingNamesTheClassTheClasspathAndBothOptions() throws IOException {
    Path drover = jar("drover.jar", null, "io/drover/worker/WorkerMain.class");
    Path missingJar = dir.resolve("nowhere.jar");
    String problem = WorkerMainClass.problem(MAIN, List.of(drover, missingJar));
    assertThat(problem)
        .startsWith("worker main class com.example.MyWorkerMain (--worker-main-class) is not on the worker classpath [")
        .contains(drover.toString(), missingJar.toString(), "--worker-classpath")
        .doesNotContain("\n");
  }
}
