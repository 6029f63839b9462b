package io.drover.master;

import static io.drover.master.testing.ExampleHandlerProject.pluginVersions;
import static io.drover.master.testing.ExampleHandlerProject.pom;
import static io.drover.master.testing.ExampleHandlerProject.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.testing.ExampleHandlerProject;
import java.nio.file.Files;
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
