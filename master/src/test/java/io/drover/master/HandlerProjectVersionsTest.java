package io.drover.master;

import static io.drover.master.testing.ExampleHandlerProject.pluginVersions;
import static io.drover.master.testing.ExampleHandlerProject.pom;
import static io.drover.master.testing.ExampleHandlerProject.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.testing.ExampleHandlerProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The example handler project (built by {@link HandlerProjectIT}) keeps in step with Drover's
 * build: it depends on this version of Drover, and uses the plugin and JUnit versions Drover's
 * build uses, so that building it needs nothing that building Drover did not already fetch; and
 * the README's "Your own handlers" names this version.
 */
class HandlerProjectVersionsTest {
  private final Document drover = pom(ExampleHandlerProject.DROVER_ROOT.resolve("pom.xml"));
  private final Document example = pom(ExampleHandlerProject.DIRECTORY.resolve("pom.xml"));

  @Test
  void theExampleDependsOnThisVersionOfDrover() {
    String version = text(drover, "/project/version");
    assertThat(text(example, "/project/properties/drover.version"))
        .as("<drover.version> in examples/handler-project/pom.xml (Drover's version is %s)", version)
        .isEqualTo(version);
  }

  /**
   * Every Java block of the README in package {@code com.example} is a file of the example project,
   * as it is there (comments and layout aside): what the README shows is what the test builds.
   */
  @Test
  void theReadmesJavaExamplesAreTheExampleProjectsFiles() throws Exception {
    String readme = Files.readString(ExampleHandlerProject.DROVER_ROOT.resolve("README.md"));
    Matcher block = Pattern.compile("```java\n(package (com\\.example[\\w.]*);.*?)```", Pattern.DOTALL).matcher(readme);
    int blocks = 0;
    while (block.find()) {
      blocks++;
      Matcher name = Pattern.compile("public final class (\\w+)").matcher(block.group(1));
      assertThat(name.find()).as("a public class in%n%s", block.group(1)).isTrue();
      Path file =
          ExampleHandlerProject.DROVER_ROOT.resolve("examples/handler-project/src/main/java")
              .resolve(block.group(2).replace('.', '/'))
              .resolve(name.group(1) + ".java");
      assertThat(file).as("the README's %s in the example project", name.group(1)).isRegularFile();
      assertThat(code(block.group(1))).as("the README's %s against %s", name.group(1), file).isEqualTo(code(Files.readString(file)));
    }
    assertThat(blocks).as("README blocks in package com.example").isGreaterThanOrEqualTo(2);
  }

  /** Java source without comments and whitespace. */
  private static String code(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "").replaceAll("\\s+", "");
  }

  @Test
  void theReadmeNamesThisVersionOfDrover() throws Exception {
    String version = text(drover, "/project/version");
    String readme = Files.readString(ExampleHandlerProject.DROVER_ROOT.resolve("README.md"));
    Matcher dependency =
        Pattern.compile("<artifactId>(drover-[a-z]+)</artifactId>\\s*<version>([^<]*)</version>")
            .matcher(readme);
    int dependencies = 0;
    while (dependency.find()) {
      dependencies++;
      assertThat(dependency.group(2)).as("README's version of %s", dependency.group(1)).isEqualTo(version);
    }
    assertThat(dependencies).as("dependency snippets in the README").isPositive();
    assertThat(readme).contains("installs io.drover:* " + version + " into ~/.m2");
  }

  @Test
  void theExampleUsesThePluginAndJUnitVersionsOfDroversBuild() {
    Map<String, String> drovers = pluginVersions(drover, "/project/build/pluginManagement/plugins/plugin");
    Map<String, String> examples = pluginVersions(example, "/project/build/plugins/plugin");
    assertThat(examples).isNotEmpty();
    examples.forEach(
        (plugin, version) ->
            assertThat(version)
                .as("%s's version in examples/handler-project/pom.xml and in Drover's pom.xml", plugin)
                .isEqualTo(drovers.get(plugin)));
    assertThat(
            text(example, "/project/dependencies/dependency[artifactId='junit-jupiter']/version"))
        .as("junit-jupiter's version in examples/handler-project/pom.xml (Drover's junit.version)")
        .isEqualTo(text(drover, "/project/properties/junit.version"));
  }
}
