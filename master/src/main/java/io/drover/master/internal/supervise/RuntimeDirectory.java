package io.drover.master.internal.supervise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's private directory (mode 0700), holding the worker socket. Only the master's user
 * can reach the socket, and the master further checks each peer's pid.
 *
 * <p>A master deletes its directory when it stops; one killed with SIGKILL cannot. So each
 * directory names its master in a {@code master.pid} file (pid and start time, which tell a
 * reused pid apart), and a new master removes the directories of masters that are gone from the
 * parent it creates its own in.
 */
public final class RuntimeDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RuntimeDirectory.class);
  private static final String PREFIX = "drover-";
  /** The names {@link Files#createTempDirectory} gives: the prefix, then a number. */
  private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[0-9]+");
  static final String OWNER_FILE = "master.pid";
  private static final String SOCKET = "workers.sock";
  /** sun_path holds 108 bytes on Linux, the last one the terminating zero. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  private final Path path;
  private final long ownerUid;

  private RuntimeDirectory(Path path, long ownerUid) {
    this.path = path;
    this.ownerUid = ownerUid;
  }

  /**
   * Creates a new directory under {@code parent} (or the system temp directory when null), first
   * removing those there of masters that are gone.
   */
  public static RuntimeDirectory create(Path parent) throws IOException {
    Path under = parent == null ? Path.of(System.getProperty("java.io.tmpdir")) : Files.createDirectories(parent);
    var attrs = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    Path dir = Files.createTempDirectory(under, PREFIX, attrs);
    int socketPathBytes = dir.resolve(SOCKET).toString().getBytes(StandardCharsets.UTF_8).length;
    if (socketPathBytes > MAX_SOCKET_PATH_BYTES) {
      delete(dir);
      throw new IOException(
          "the worker socket's path " + dir.resolve(SOCKET) + " would be " + socketPathBytes
              + " bytes, more than the " + MAX_SOCKET_PATH_BYTES + " a Unix domain socket allows: give the master a"
              + " shorter temporary directory (TMPDIR, now " + under + ")");
    }
    long uid = uid(dir);
    Files.writeString(dir.resolve(OWNER_FILE), owner(ProcessHandle.current()), StandardCharsets.US_ASCII);
    removeStale(under, dir, uid);
    return new RuntimeDirectory(dir, uid);
  }

  /** The directory. */
  public Path path() {
    return path;
  }

  /** Where the worker socket lives. */
  public Path workerSocket() {
    return path.resolve(SOCKET);
  }

  /** The uid that owns the directory: the master's own. */
  public long ownerUid() {
    return ownerUid;
  }

  /** Deletes the directory and what it holds. */
  @Override
  public void close() {
    delete(path);
  }

  /** What {@code master.pid} holds for {@code process}: its pid and start time. */
  static String owner(ProcessHandle process) {
    return process.pid() + " " + process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) + "\n";
  }

  /**
   * Removes the runtime directories under {@code parent} that {@code uid} owns and whose master
   * is gone. Directories without an owner file (made by an older Drover, or being made right now)
   * are left alone: nothing tells whether their master is alive.
   */
  static void removeStale(Path parent, Path keep, long uid) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, e -> NAME.matcher(e.getFileName().toString()).matches())) {
      for (Path dir : dirs) {
        if (!dir.equals(keep) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && uid(dir) == uid) {
          String owner = ownerIfGone(dir);
          if (owner != null) {
            delete(dir);
            log.info("removed {}, the runtime directory of master pid {}, which is gone", dir, owner);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Not worth failing a start for: the stale directories only take a little room.
      log.debug("cannot look for stale runtime directories in {}: {}", parent, e.toString());
    }
  }

  /** The pid that owned {@code dir} if that master is no longer running, else null. */
  private static String ownerIfGone(Path dir) throws IOException {
    String[] owner;
    try {
      owner = Files.readString(dir.resolve(OWNER_FILE), StandardCharsets.US_ASCII).trim().split(" ");
    } catch (NoSuchFileException e) {
      return null;
    }
    if (owner.length != 2) {
      return null;
    }
    try {
      long pid = Long.parseLong(owner[0]);
      long started = Long.parseLong(owner[1]);
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      boolean alive =
          process.isPresent()
              && (started < 0 || process.get().info().startInstant().map(s -> s.toEpochMilli() == started).orElse(true));
      return alive ? null : owner[0];
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long uid(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  /** Deletes {@code dir} and what it holds; symbolic links are deleted, never followed. */
  private static void delete(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      // A file may go while the walk runs (a worker's class-data dump removes its log when it
      // ends): one that is gone is one less to delete, not a failure.
      Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
          file.toFile().delete();
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof java.nio.file.NoSuchFileException) {
            return java.nio.file.FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) {
          d.toFile().delete();
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete runtime directory " + dir, e);
    }
  }
}
