package io.drover.master.testing;

import io.drover.master.DroverMaster;
import io.drover.master.config.MasterConfig;
import io.drover.master.config.MasterConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts real masters for integration tests: worker JVMs run the shaded {@code drover.jar} with
 * the bundled examples jar, exactly as {@code scripts/drover master} would, on an ephemeral port.
 */
public final class TestMasters {
  private TestMasters() {}

  /** The runnable jar built by this module's package phase. */
  public static Path droverJar() {
    return existing(System.getProperty("drover.jar", "target/drover.jar"));
  }

  /** The bundled example handlers copied beside drover.jar. */
  public static Path examplesJar() {
    return existing(System.getProperty("drover.examples.jar", "target/drover-examples.jar"));
  }

  /** The diagnostic handlers (crash, hang) copied beside drover.jar. */
  public static Path diagnosticsJar() {
    return existing(System.getProperty("drover.diagnostics.jar", "target/drover-diagnostics.jar"));
  }

  /** A config builder like {@link #config} whose workers also load the diagnostic handlers. */
  public static MasterConfigBuilder configWithDiagnostics(int workers) {
    return config(workers).workerClasspath(List.of(examplesJar(), diagnosticsJar()));
  }

  /**
   * A config builder for a test master with {@code workers} workers on any free port, its admin
   * endpoint on another (tests run in parallel: none may take the default 7071).
   */
  public static MasterConfigBuilder config(int workers) {
    return MasterConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .adminPort(0)
        .workers(workers)
        .workerCapacity(4)
        .workerRuntimeClasspath(List.of(droverJar()))
        .workerClasspath(List.of(examplesJar()));
  }

  /** Starts a master with {@code workers} workers and waits until all have registered. */
  public static DroverMaster start(int workers) throws Exception {
    return DroverMaster.start(config(workers).build());
  }

  private static Path existing(String path) {
    Path p = Path.of(path).toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: integration tests run after 'mvn package'");
    }
    return p;
  }
}
