package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataFingerprintTest {
  private static final List<String> COMMAND = List.of("java", "-cp", "handlers.jar", "Main");
  private static final FileTime DEPLOYED = FileTime.fromMillis(1_700_000_000_000L);

  @TempDir Path dir;

  /**
   * The JVM checks only a jar's size and time against the archive: a deploy that keeps both (a
   * copy preserving times, images that set every time alike) would run the old jar's classes.
   */
  @Test
  void aJarWithTheSameSizeAndTimeButOtherContentGetsAnotherArchive() throws IOException {
    Path jar = dir.resolve("handlers.jar");
    Files.write(jar, new byte[] {'v', '1'});
    Files.setLastModifiedTime(jar, DEPLOYED);
    ClassDataFingerprint fingerprint = new ClassDataFingerprint();
    String before = fingerprint.of(COMMAND, List.of(jar), Map.of());

    Path next = Files.write(dir.resolve("handlers.jar.new"), new byte[] {'v', '2'});
    Files.setLastModifiedTime(next, DEPLOYED);
    Files.move(next, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(fingerprint.of(COMMAND, List.of(jar), Map.of())).isNotEqualTo(before);
    assertThat(new ClassDataFingerprint().of(COMMAND, List.of(jar), Map.of())).isNotEqualTo(before);
  }

  @Test
  void theSameInputsGetTheSameArchiveInAnotherMaster() throws IOException {
    Path jar = Files.write(dir.resolve("handlers.jar"), new byte[] {1});
    assertThat(new ClassDataFingerprint().of(COMMAND, List.of(jar), Map.of()))
        .matches("[0-9a-f]{16}")
        .isEqualTo(new ClassDataFingerprint().of(COMMAND, List.of(jar), Map.of()));
  }

  @Test
  void theCommandAndTheJvmOptionVariablesAreInputs() throws IOException {
    Path jar = Files.write(dir.resolve("handlers.jar"), new byte[] {1});
    ClassDataFingerprint f = new ClassDataFingerprint();
    String plain = f.of(COMMAND, List.of(jar), Map.of());
    assertThat(f.of(List.of("java", "-XX:+UseParallelGC", "-cp", "handlers.jar", "Main"), List.of(jar), Map.of())).isNotEqualTo(plain);
    assertThat(f.of(COMMAND, List.of(jar), Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g"))).isNotEqualTo(plain);
  }
}
