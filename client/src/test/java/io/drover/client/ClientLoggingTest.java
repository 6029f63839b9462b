package io.drover.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.testing.ClientProgram;
import io.drover.client.testing.FakeMaster;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client prints in a user's program, run in a child JVM whose classpath holds only the
 * client, its runtime dependencies (as Maven resolves them for a user's project) and the program:
 * nothing at all when the program has no SLF4J provider, and the client's and Netty's messages
 * through the provider when it has one. Its classpath also lacks the OpenTelemetry API, an
 * optional dependency: the client then sends only the traceparents it is given.
 */
class ClientLoggingTest {
  private static final int MASTER_MAX_FRAME_BYTES = 8 * 1024;

  @RegisterExtension final FakeMaster master = new FakeMaster(MASTER_MAX_FRAME_BYTES);

  @TempDir Path dir;

  @Test
  void aProgramWithoutAnSlf4jProviderGetsNoSlf4jWarningAndNoClientLog() throws Exception {
    Output out = runProgram(List.of(), List.of());

    assertThat(out.stdout()).contains("echo: hello", "oversized: ").contains("FRAME_TOO_LARGE");
    assertThat(out.stdout())
        .as("without OpenTelemetry on the classpath, no traceparent unless one is given")
        .contains("traceparent: none", "traceparent: " + ClientProgram.TRACEPARENT);
    assertThat(out.stderr()).doesNotContain("opentelemetry");
    assertThat(out.stderr().lines())
        .as("stderr of a program without an SLF4J provider:%n%s", out.stderr())
        .noneMatch(line -> line.contains("SLF4J"))
        .noneMatch(line -> line.contains("Drover master"));
  }

  @Test
  void aProgramWithAnSlf4jProviderGetsTheClientsAndNettysMessagesThroughIt() throws Exception {
    Output out =
        runProgram(
            List.of(Path.of(System.getProperty("drover.test.slf4j-simple.jar"))),
            List.of("-Dorg.slf4j.simpleLogger.log.io.netty.util.internal.logging=debug"));

    assertThat(out.stdout()).contains("echo: hello").contains("FRAME_TOO_LARGE");
    assertThat(out.stderr())
        .as("the client's warning, through slf4j-simple")
        .contains("WARN io.drover.client.internal.ClientConnection - The Drover master at 127.0.0.1:"
            + master.port() + " reported FRAME_TOO_LARGE")
        .as("Netty's choice of logging framework, through slf4j-simple")
        .contains("Using SLF4J as the default logging framework")
        .doesNotContain("SLF4J(W)");
  }

  private record Output(String stdout, String stderr) {}

  private Output runProgram(List<Path> extraClasspath, List<String> jvmOptions)
      throws IOException, InterruptedException, URISyntaxException {
    List<String> classpath = new ArrayList<>();
    classpath.add(System.getProperty("drover.test.client.classes"));
    String dependencies =
        Files.readString(Path.of(System.getProperty("drover.test.client.runtime-classpath"))).strip();
    classpath.addAll(List.of(dependencies.split(File.pathSeparator)));
    classpath.add(
        Path.of(ClientProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
    extraClasspath.forEach(p -> classpath.add(p.toString()));

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            String.join(File.pathSeparator, classpath),
            ClientProgram.class.getName(),
            Integer.toString(master.port()),
            Integer.toString(MASTER_MAX_FRAME_BYTES * 4)));
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    Process program =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      boolean exited = program.waitFor(60, TimeUnit.SECONDS); // a hang guard only
      assertThat(exited).as("the program exited").isTrue();
    } finally {
      program.destroyForcibly();
    }
    Output out =
        new Output(
            Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
    assertThat(program.exitValue()).as("exit code; %s", out).isZero();
    return out;
  }
}
