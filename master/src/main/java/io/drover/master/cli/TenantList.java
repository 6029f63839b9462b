package io.drover.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.drover.master.config.TenantSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;

/**
 * The value of {@code --tenants}: in the configuration file, the list of tenants itself; on the
 * command line, a YAML file holding that list. Each item is a mapping of {@code name}, {@code
 * token-sha256}, {@code certificate-subject}, {@code task-types}, {@code max-in-flight}, {@code
 * max-priority} and {@code queue-share}; any other key is refused, so a typo cannot silently
 * lift a limit.
 *
 * @param tenants the tenants, checked
 */
record TenantList(List<TenantSettings> tenants) {
  private static final Set<String> KEYS =
      Set.of("name", "token-sha256", "certificate-subject", "task-types", "max-in-flight", "max-priority", "queue-share");

  /**
   * The tenants {@code node} lists.
   *
   * @throws IllegalArgumentException starting {@code "tenants: "}, naming the tenant and the key
   */
  static TenantList of(JsonNode node) {
    if (node.isNull()) {
      return new TenantList(List.of());
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("tenants: not a list (expected: a list of tenants, each a mapping with a name)");
    }
    List<TenantSettings> tenants = new ArrayList<>();
    int index = 0;
    for (JsonNode item : node) {
      tenants.add(tenant(item, index++));
    }
    return new TenantList(tenants);
  }

  private static TenantSettings tenant(JsonNode item, int index) {
    String name = item.isObject() && item.path("name").isTextual() ? item.get("name").textValue() : null;
    String where = "tenants: " + (name != null ? name : "item " + (index + 1)) + ": ";
    if (name == null) {
      throw new IllegalArgumentException(where + "no name (expected: name: TEXT in each item of a mapping)");
    }
    for (Iterator<String> keys = item.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(where + key + " is not a tenant setting (expected: one of " + new java.util.TreeSet<>(KEYS) + ")");
      }
    }
    if (item.has("token")) {
      throw new IllegalArgumentException(where + "token (expected: token-sha256, the token's hash: `drover token` prints one)");
    }
    List<String> types = new ArrayList<>();
    JsonNode t = item.path("task-types");
    if (t.isArray()) {
      t.forEach(n -> types.add(n.asText()));
    } else if (!t.isMissingNode()) {
      throw new IllegalArgumentException(where + "task-types (expected: a list of task types, such as [echo, sha256])");
    }
    return new TenantSettings(
        name,
        text(item, "token-sha256", where),
        text(item, "certificate-subject", where),
        types,
        integer(item, "max-in-flight", where),
        item.has("max-priority")
            ? priority(text(item, "max-priority", where), where)
            : TenantSettings.Priority.HIGH,
        item.has("queue-share") ? share(item.get("queue-share"), where) : 1.0);
  }

  private static String text(JsonNode item, String key, String where) {
    JsonNode n = item.get(key);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(where + key + " (expected: a string)");
    }
    return n.textValue();
  }

  private static int integer(JsonNode item, String key, String where) {
    JsonNode n = item.get(key);
    if (n == null) {
      return 0;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new IllegalArgumentException(where + key + " (expected: an integer)");
    }
    return n.intValue();
  }

  private static double share(JsonNode n, String where) {
    if (!n.isNumber()) {
      throw new IllegalArgumentException(where + "queue-share (expected: a number > 0 and <= 1)");
    }
    return n.doubleValue();
  }

  private static TenantSettings.Priority priority(String name, String where) {
    try {
      return TenantSettings.Priority.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "max-priority: " + name + " (expected: low, normal or high)", e);
    }
  }

  /** {@code --tenants FILE} on the command line: the file holds the list. */
  static final class FileConverter implements ITypeConverter<TenantList> {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Override
    public TenantList convert(String value) throws IOException {
      JsonNode node = YAML.readTree(Path.of(value).toFile());
      return of(node == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : node);
    }
  }
}
