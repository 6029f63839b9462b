package io.drover.master.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A master's configuration file as read: a YAML mapping of setting keys (the {@code drover master}
 * options' names without their dashes) to values, each remembered with the line it is on so that
 * a refusal can point at it. What the values mean is {@link FileSettings}'s business.
 */
final class ConfigFile {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final ObjectMapper TREES = new ObjectMapper(YAML);

  /**
   * One {@code key: value} of the file.
   *
   * @param fieldLines for a mapping, the line of each of its keys
   */
  record Entry(String key, JsonNode value, int line, Map<String, Integer> fieldLines) {
    Entry(String key, JsonNode value, int line) {
      this(key, value, line, Map.of());
    }
  }

  private final Path path;
  private final Map<String, Entry> entries;

  private ConfigFile(Path path, Map<String, Entry> entries) {
    this.path = path;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /** The file's path as given. */
  Path path() {
    return path;
  }

  /** The entries in the file's order. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** {@code path:line}, how a refusal names where it found the value. */
  String where(int line) {
    return path + ":" + line;
  }

  /**
   * Reads {@code path}.
   *
   * @throws BadConfigException the file cannot be read, is not YAML, is not a mapping, or names a
   *     key twice
   */
  static ConfigFile read(Path path) throws BadConfigException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    if (!Files.exists(path)) {
      throw new BadConfigException(path + ": no such file");
    }
    if (Files.isDirectory(path)) {
      throw new BadConfigException(path + ": a directory, not a file");
    }
    try (JsonParser p = YAML.createParser(path.toFile())) {
      p.setCodec(TREES);
      JsonToken first = p.nextToken();
      if (first == null) {
        return new ConfigFile(path, entries); // an empty file sets nothing
      }
      if (first != JsonToken.START_OBJECT) {
        throw new BadConfigException(
            path + ":" + line(p.currentTokenLocation()) + ": expected a mapping of settings (key: value), found " + describe(first));
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String key = p.currentName();
        int line = line(p.currentTokenLocation());
        Entry earlier = entries.get(key);
        if (earlier != null) {
          throw new BadConfigException(path + ":" + line + ": " + key + " is set twice (first on line " + earlier.line() + ")");
        }
        if (p.nextToken() == JsonToken.START_OBJECT) {
          entries.put(key, mapping(p, path, key, line));
        } else {
          entries.put(key, new Entry(key, p.readValueAsTree(), line));
        }
      }
      if (p.nextToken() != null) {
        throw new BadConfigException(
            path + ":" + line(p.currentTokenLocation()) + ": only one YAML document is read; remove the second one");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? path.toString() : path + ":" + line(at);
      throw new BadConfigException(where + ": not valid YAML: " + yamlProblem(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new BadConfigException(path + ": cannot read: " + e.getMessage());
    }
    return new ConfigFile(path, entries);
  }

  /** A mapping's entry, the parser at its start: its keys' lines are kept for refusals. */
  private static Entry mapping(JsonParser p, Path path, String key, int line) throws IOException, BadConfigException {
    com.fasterxml.jackson.databind.node.ObjectNode node = TREES.createObjectNode();
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      int fieldLine = line(p.currentTokenLocation());
      if (lines.containsKey(field)) {
        throw new BadConfigException(
            path + ":" + fieldLine + ": " + key + "." + field + " is set twice (first on line " + lines.get(field) + ")");
      }
      p.nextToken();
      node.set(field, p.readValueAsTree());
      lines.put(field, fieldLine);
    }
    return new Entry(key, node, line, lines);
  }

  private static int line(JsonLocation at) {
    return at.getLineNr();
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> t.toString();
    };
  }

  /**
   * The YAML parser's explanation without its excerpt of the file: its unindented lines ({@code
   * while parsing a flow node; expected the node content, but found '<stream end>'}).
   */
  private static String yamlProblem(String message) {
    StringBuilder s = new StringBuilder();
    for (String line : String.valueOf(message).split("\\R")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        s.append(s.length() == 0 ? "" : "; ").append(line.strip());
      }
    }
    return s.toString();
  }

  /** A configuration file that cannot be used; the message names the file, the line and why. */
  static final class BadConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    BadConfigException(String message) {
      super(message);
    }
  }
}
