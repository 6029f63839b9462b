package io.drover.protocol.shm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A shared memory region: a file on a memory file system ({@code /dev/shm}) mapped into this
 * process. The side that writes creates it ({@link #create}, read-write, owner-only permissions)
 * and deletes it when it closes; the other side maps it read-only ({@link #openReadOnly}) from the
 * path it was told over the worker socket.
 *
 * <p>Java 17 cannot unmap a mapping on demand: it goes when the buffer is collected. Each process
 * maps a region once for its life (the master its own and one per connected worker), so this costs
 * address space only.
 */
public final class RegionFile implements AutoCloseable {
  /** Where regions go by default: the memory file system, so their pages are never written to disk. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");

  private final Path path;
  private final ByteBuffer buffer;
  private final boolean owner;

  private RegionFile(Path path, ByteBuffer buffer, boolean owner) {
    this.path = path;
    this.buffer = buffer;
    this.owner = owner;
  }

  /**
   * Creates a region of {@code bytes} in {@code directory} (or, when that is not a writable
   * directory, in {@code java.io.tmpdir}), readable and writable by this user only, and maps it.
   *
   * @param prefix the start of the file's name, e.g. {@code "drover-payloads-"}
   */
  public static RegionFile create(Path directory, String prefix, long bytes) throws IOException {
    if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: 1 to " + Integer.MAX_VALUE + ")");
    }
    Path dir = Files.isDirectory(directory) && Files.isWritable(directory) ? directory : Path.of(System.getProperty("java.io.tmpdir"));
    String name = prefix + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    Path path =
        Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(bytes);
      MappedByteBuffer mapped = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, bytes);
      return new RegionFile(path, mapped, true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /**
   * Deletes the regions in {@code directory} named {@code prefix + pid + "-..."} whose process is
   * gone: a process killed with SIGKILL cannot delete its own. Errors are ignored (a stale region
   * only takes memory until the next start looks again).
   */
  public static void deleteStale(Path directory, String prefix) {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*")) {
      for (Path f : files) {
        String rest = f.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          if (ProcessHandle.of(pid).isEmpty()) {
            Files.deleteIfExists(f);
          }
        } catch (NumberFormatException | IOException e) {
          // Not one of ours, or gone already.
        }
      }
    } catch (IOException | RuntimeException e) {
      // Nothing to clean up here, or not allowed to look.
    }
  }

  /** Maps the whole region at {@code path}, which another process created, read-only. */
  public static RegionFile openReadOnly(Path path) throws IOException {
    return open(path, FileChannel.MapMode.READ_ONLY);
  }

  /**
   * Maps the whole region at {@code path}, which another process created, copy-on-write: it reads
   * what the other side writes, and a write here (there should be none) would stay private to this
   * process. For buffer classes that refuse read-only memory, such as Netty's direct buffers.
   */
  public static RegionFile openPrivate(Path path) throws IOException {
    return open(path, FileChannel.MapMode.PRIVATE);
  }

  private static RegionFile open(Path path, FileChannel.MapMode mode) throws IOException {
    StandardOpenOption[] options =
        mode == FileChannel.MapMode.READ_ONLY
            ? new StandardOpenOption[] {StandardOpenOption.READ}
            : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
    try (FileChannel channel = FileChannel.open(path, options)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException(path + ": " + size + " bytes, more than a region may have (" + Integer.MAX_VALUE + ")");
      }
      return new RegionFile(path, channel.map(mode, 0, size), false);
    }
  }

  /** The region's file. */
  public Path path() {
    return path;
  }

  /** The region's size in bytes. */
  public int size() {
    return buffer.capacity();
  }

  /**
   * A new buffer over {@code length} bytes at {@code offset}, independent of other views (its own
   * position and limit); read-only when this side only maps the region.
   *
   * @throws IndexOutOfBoundsException if the block is not inside the region
   */
  public ByteBuffer view(long offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buffer.capacity()) {
      throw new IndexOutOfBoundsException(
          "block at " + offset + " of " + length + " bytes (expected: inside a region of " + buffer.capacity() + " bytes)");
    }
    return buffer.slice((int) offset, length);
  }

  /** Deletes the file if this side created it (the mappings stay valid until collected). */
  @Override
  public void close() {
    if (owner) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
