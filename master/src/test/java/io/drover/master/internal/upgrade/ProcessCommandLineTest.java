package io.drover.master.internal.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandLineTest {
  private static byte[] cmdline(String... args) {
    return (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsEveryArgumentAsTheKernelWroteIt() {
    ProcessCommandLine c = ProcessCommandLine.parse(cmdline("/usr/bin/java", "-Dx=a b", "-jar", "/opt/drover.jar", "master", "--port", ""));
    assertThat(c.arguments()).containsExactly("/usr/bin/java", "-Dx=a b", "-jar", "/opt/drover.jar", "master", "--port", "");
    assertThat(c.jar()).isEqualTo("/opt/drover.jar");
  }

  @Test
  void putsTheNewJarInTheOldOnesPlaceOnly() {
    ProcessCommandLine c = ProcessCommandLine.of(List.of("java", "-XX:+UseParallelGC", "-jar", "old.jar", "master", "-jar"));
    assertThat(c.withJar(Path.of("/new/drover.jar")).arguments())
        .containsExactly("java", "-XX:+UseParallelGC", "-jar", "/new/drover.jar", "master", "-jar");
    assertThat(c.arguments()).contains("old.jar"); // unchanged
  }

  @Test
  void refusesAnotherJarForAProcessStartedWithoutOne() {
    ProcessCommandLine c = ProcessCommandLine.of(List.of("java", "-cp", "a.jar", "io.drover.master.cli.DroverCli", "master"));
    assertThat(c.jar()).isNull();
    assertThatThrownBy(() -> c.withJar(Path.of("/new.jar")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started with java -jar");
  }

  @Test
  void thisProcessHasACommandLine() throws Exception {
    assertThat(ProcessCommandLine.current().arguments().get(0)).contains("java");
  }
}
