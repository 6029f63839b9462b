package io.drover.master.internal.supervise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The master's private directory (mode 0700), holding the worker socket. Only the master's user
 * can reach the socket, and the master further checks each peer's pid.
 */
public final class RuntimeDirectory implements AutoCloseable {
  private final Path path;
  private final long ownerUid;

  private RuntimeDirectory(Path path, long ownerUid) {
    this.path = path;
    this.ownerUid = ownerUid;
  }

  /** Creates a new directory under {@code parent} (or the system temp directory when null). */
  public static RuntimeDirectory create(Path parent) throws IOException {
    var attrs = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    Path dir =
        parent == null
            ? Files.createTempDirectory("drover-", attrs)
            : Files.createTempDirectory(Files.createDirectories(parent), "drover-", attrs);
    Object uid = Files.getAttribute(dir, "unix:uid");
    return new RuntimeDirectory(dir, ((Number) uid).longValue());
  }

  /** The directory. */
  public Path path() {
    return path;
  }

  /** Where the worker socket lives. */
  public Path workerSocket() {
    return path.resolve("workers.sock");
  }

  /** The uid that owns the directory: the master's own. */
  public long ownerUid() {
    return ownerUid;
  }

  /** Deletes the directory and what it holds. */
  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete runtime directory " + path, e);
    }
  }
}
