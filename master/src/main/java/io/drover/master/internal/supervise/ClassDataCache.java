package io.drover.master.internal.supervise;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of worker class-data archives, shared by every master of the user: at most
 * {@link #KEPT_ARCHIVES} archives, the least recently used evicted first (a master marks an
 * archive used by setting its modification time, which the JVM does not check), and no recording
 * left behind by a master that is gone. Only files named like Drover's archives are ever deleted,
 * whatever else the directory holds.
 */
final class ClassDataCache {
  private static final Logger log = LoggerFactory.getLogger(ClassDataCache.class);
  /** Archives kept; each takes 10-15 MB for Drover's own workers, more with big handler jars. */
  static final int KEPT_ARCHIVES = 8;
  private static final Pattern ARCHIVE = Pattern.compile("worker-[0-9a-f]{16}\\.jsa");
  /** A recording in progress: the archive's name, then the pid of the master that publishes it. */
  private static final Pattern RECORDING = Pattern.compile("worker-[0-9a-f]{16}\\.jsa\\.([0-9]+)\\.tmp");

  private final Path directory;
  private final long ownPid = ProcessHandle.current().pid();

  private ClassDataCache(Path directory) {
    this.directory = directory;
  }

  /** Opens (creating it if needed) the cache in {@code directory}, and tidies it. */
  static ClassDataCache open(Path directory) throws IOException {
    ClassDataCache cache = new ClassDataCache(Files.createDirectories(directory));
    cache.tidy();
    return cache;
  }

  /** The directory. */
  Path directory() {
    return directory;
  }

  /** Where the archive named {@code key} is. */
  Path archive(String key) {
    return directory.resolve("worker-" + key + ".jsa");
  }

  /**
   * Where this master has {@code archive} recorded: a private name, renamed once complete, so that
   * no JVM ever maps a half-written archive (one that does dies of SIGBUS), even with several
   * masters sharing the directory.
   */
  Path recording(Path archive) {
    return archive.resolveSibling(archive.getFileName() + "." + ownPid + ".tmp");
  }

  /** Marks {@code archive} as just used, which keeps it from eviction the longest. */
  void markUsed(Path archive) {
    try {
      Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      log.debug("cannot mark {} used: {}", archive, e.toString());
    }
  }

  /** Renames the complete {@code recording} to {@code archive}, then evicts beyond the bound. */
  void publish(Path recording, Path archive) throws IOException {
    Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    tidy();
  }

  /**
   * Deletes the recordings of masters that are gone (killed before they could publish or delete
   * them), and the least recently used archives beyond {@link #KEPT_ARCHIVES}.
   */
  void tidy() {
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        Matcher recording = RECORDING.matcher(name);
        if (ARCHIVE.matcher(name).matches()) {
          archives.add(f);
        } else if (recording.matches() && !alive(Long.parseLong(recording.group(1))) && delete(f)) {
          log.info("deleted {}: a class-data archive recording whose master is gone", f);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cannot tidy the worker class-data archives in {}: {}", directory, e.toString());
      return;
    }
    if (archives.size() <= KEPT_ARCHIVES) {
      return;
    }
    archives.sort(Comparator.comparing(ClassDataCache::lastUsed).reversed());
    long evicted = archives.subList(KEPT_ARCHIVES, archives.size()).stream().filter(ClassDataCache::delete).count();
    if (evicted > 0) {
      log.info("deleted {} worker class-data archives from {}: only the {} most recently used are kept", evicted, directory, KEPT_ARCHIVES);
    }
  }

  private boolean alive(long pid) {
    return pid == ownPid || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static FileTime lastUsed(Path archive) {
    try {
      return Files.getLastModifiedTime(archive);
    } catch (IOException e) {
      return FileTime.fromMillis(0); // gone already, or unreadable: first to go
    }
  }

  /** True if this call deleted {@code file}. */
  private static boolean delete(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", file, e.toString());
      return false;
    }
  }
}
