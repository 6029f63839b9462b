package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The settings' keys are the same in the code ({@code drover master}'s options), in
 * docs/CONFIGURATION.md's table and in the example file, and the example file is valid.
 */
class ConfigDocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/drover.yaml");

  private static Set<String> optionKeys() {
    Set<String> keys = new TreeSet<>();
    for (var o : new CommandLine(new MasterCommand()).getCommandSpec().options()) {
      if (!FileSettings.NOT_SETTINGS.contains(FileSettings.key(o))) {
        keys.add(FileSettings.key(o));
      }
    }
    return keys;
  }

  private static Set<String> matches(Pattern p, String text) {
    Set<String> keys = new TreeSet<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  @Test
  void theDocumentsTableHasEveryKeyAndNoOther() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/CONFIGURATION.md"));
    assertThat(matches(Pattern.compile("(?m)^\\| `([a-z-]+)` \\|"), doc)).isEqualTo(optionKeys());
  }

  @Test
  void theDocumentsReloadColumnIsHowTheMasterTakesEachChange() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/CONFIGURATION.md"));
    Matcher m = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| [^|]+ \\| [^|]+ \\| ([a-z ]+) \\|").matcher(doc);
    java.util.Map<String, String> column = new java.util.TreeMap<>();
    while (m.find()) {
      column.put(m.group(1), m.group(2));
    }
    java.util.Map<String, String> code = new java.util.TreeMap<>();
    for (String key : optionKeys()) {
      code.put(
          key,
          switch (io.drover.master.config.SettingKeys.change(key)) {
            case LIVE -> "live";
            case POOL_SIZE -> "pool size";
            case WORKERS -> "rolling restart";
            case MASTER -> "master restart";
          });
    }
    assertThat(column).isEqualTo(code);
  }

  @Test
  void theExampleFileListsEveryKeyAndNoOther() throws IOException {
    String example = Files.readString(EXAMPLE);
    // Set or commented out: "workers: 2" or "# port: 7070".
    assertThat(matches(Pattern.compile("(?m)^(?:# )?([a-z][a-z-]*):(?: |$)"), example)).isEqualTo(optionKeys());
  }

  @Test
  void theExampleFileIsValidAndSetsWhatItSays() {
    MasterCommand.Effective e = ConfigCommand.master(List.of("--config", EXAMPLE.toString()));
    assertThat(e.config().workers()).isEqualTo(2);
    assertThat(e.sources().sources()).containsKeys("workers", "scheduler", "heartbeat-interval", "heartbeat-timeout");
  }

  @Test
  void everyCommentedOutLineOfTheExampleIsValidWhenUncommented() throws IOException {
    // Uncommenting any setting must give a valid file: the example is what users copy.
    String uncommented =
        Files.readString(EXAMPLE)
            .replaceAll("(?m)^# ([a-z][a-z-]*:.*)$", "$1")
            .replaceAll("(?m)^#   ", "  ")
            .replace("worker-classpath: [my-handlers.jar]", "worker-classpath: [" + EXAMPLE + "]")
            .replaceAll("(?m)^worker-dir: .*", "worker-dir: " + ROOT)
            .replaceAll("(?m)^(no-admin|no-worker-cds): .*", "$1: false");
    Path f = Files.createTempFile("drover", ".yaml");
    try {
      Files.writeString(f, uncommented);
      MasterCommand.Effective e = ConfigCommand.master(List.of("--config", f.toString()));
      assertThat(e.sources().sources().keySet()).containsAll(optionKeys());
    } finally {
      Files.delete(f);
    }
  }
}
