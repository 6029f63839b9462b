package io.drover.master.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code examples/handler-project}, the project of one's own handlers that the README points users
 * at, and what building it as a user would takes: Drover's libraries installed in a local Maven
 * repository, and the versions it must share with Drover's build.
 */
public final class ExampleHandlerProject {
  /** The Drover checkout; tests run in {@code master/}. */
  public static final Path DROVER_ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The example project's directory. */
  public static final Path DIRECTORY = DROVER_ROOT.resolve("examples").resolve("handler-project");

  /** What a user's project depends on, and so what {@code mvn install} must provide it with. */
  private static final List<String> LIBRARY_MODULES = List.of("protocol", "worker", "client");

  private ExampleHandlerProject() {}

  /**
   * Puts into {@code repository} what {@code mvn install} in the Drover checkout installs for the
   * libraries a user's project depends on (the parent pom, and each library's pom and jar, as
   * built by this build's package phase): none of them is shaded or flattened, so {@code install}
   * copies the pom as it is.
   */
  public static void installLibraries(Path repository, String version) throws IOException {
    install(repository, "drover-parent", version, DROVER_ROOT.resolve("pom.xml"), null);
    for (String module : LIBRARY_MODULES) {
      String artifactId = "drover-" + module;
      Path dir = DROVER_ROOT.resolve(module);
      Path jar = dir.resolve("target").resolve(artifactId + "-" + version + ".jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: integration tests run after 'mvn package'");
      }
      install(repository, artifactId, version, dir.resolve("pom.xml"), jar);
    }
  }

  private static void install(Path repository, String artifactId, String version, Path pom, Path jar)
      throws IOException {
    Path dir = repository.resolve("io").resolve("drover").resolve(artifactId).resolve(version);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"));
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"));
    }
  }

  /** Copies the example project to {@code target}, leaving out any build output. */
  public static void copyTo(Path target) throws IOException {
    try (Stream<Path> files = Files.walk(DIRECTORY)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path relative = DIRECTORY.relativize(from);
        if (relative.startsWith("target")) {
          continue;
        }
        Path to = target.resolve(relative.toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
  }

  /** A pom.xml, to read with {@link #text} and {@link #pluginVersions}. */
  public static Document pom(Path file) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /** The text at {@code xpath} (element names without namespace), or "" when there is none. */
  public static String text(Object node, String xpath) {
    try {
      return XPathFactory.newInstance().newXPath().evaluate(xpath, node).strip();
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException(xpath, e);
    }
  }

  /** artifactId to version of the {@code plugin} elements at {@code xpath}. */
  public static Map<String, String> pluginVersions(Document pom, String xpath) {
    NodeList plugins;
    try {
      plugins = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, pom, XPathConstants.NODESET);
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException(xpath, e);
    }
    Map<String, String> versions = new LinkedHashMap<>();
    for (int i = 0; i < plugins.getLength(); i++) {
      Node plugin = plugins.item(i);
      versions.put(text(plugin, "artifactId"), text(plugin, "version"));
    }
    return versions;
  }
}
