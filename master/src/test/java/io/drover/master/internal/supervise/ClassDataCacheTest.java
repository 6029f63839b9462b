package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataCacheTest {
  @TempDir Path dir;

  private Path archive(int i, long lastUsedMillis) throws IOException {
    Path p = Files.write(dir.resolve(String.format("worker-%016x.jsa", i)), new byte[16]);
    Files.setLastModifiedTime(p, FileTime.fromMillis(lastUsedMillis));
    return p;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void keepsTheMostRecentlyUsedArchivesAndNothingElseOfItsOwn() throws IOException {
    ClassDataCache cache = ClassDataCache.open(dir);
    List<Path> archives = new ArrayList<>();
    for (int i = 0; i < ClassDataCache.KEPT_ARCHIVES + 4; i++) {
      archives.add(archive(i, 1_000_000L * (i + 1)));
    }
    Path unrelated = Files.writeString(dir.resolve("notes.txt"), "mine");
    cache.markUsed(archives.get(0)); // the oldest, used again now

    Path recording = cache.recording(cache.archive("00000000000000ff"));
    Files.write(recording, new byte[16]);
    cache.publish(recording, cache.archive("00000000000000ff"));

    List<Path> kept = new ArrayList<>(archives.subList(archives.size() - ClassDataCache.KEPT_ARCHIVES + 2, archives.size()));
    kept.add(archives.get(0));
    kept.add(cache.archive("00000000000000ff"));
    kept.add(unrelated);
    assertThat(files()).containsExactlyInAnyOrderElementsOf(kept);
  }

  @Test
  void deletesTheRecordingsOfMastersThatAreGoneAndKeepsThoseOfLiveOnes() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = Files.write(dir.resolve("worker-0000000000000001.jsa." + gone.pid() + ".tmp"), new byte[16]);
    Path live = Files.write(dir.resolve("worker-0000000000000002.jsa." + ProcessHandle.current().pid() + ".tmp"), new byte[16]);
    ClassDataCache.open(dir);
    assertThat(dead).doesNotExist();
    assertThat(live).exists();
  }
}
