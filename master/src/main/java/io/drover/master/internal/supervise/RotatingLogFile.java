package io.drover.master.internal.supervise;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker slot's log file, {@code worker-N.log}, rotated by size to {@code .1}, {@code .2}
 * and {@code .3} (the oldest is dropped). Both output pumps of a slot share it; each line is
 * written whole.
 */
final class RotatingLogFile implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RotatingLogFile.class);
  private static final int KEPT = 3;

  private final Path file;
  private final long maxBytes;
  private OutputStream out;
  private long size;

  RotatingLogFile(Path directory, int slot, long maxBytes) throws IOException {
    Files.createDirectories(directory);
    this.file = directory.resolve("worker-" + slot + ".log");
    this.maxBytes = maxBytes;
    open();
  }

  private void open() throws IOException {
    out = new FileOutputStream(file.toFile(), true);
    size = Files.size(file);
  }

  /** Appends one line. */
  synchronized void append(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if (size + bytes.length > maxBytes && size > 0) {
        rotate();
      }
      out.write(bytes);
      size += bytes.length;
    } catch (IOException e) {
      log.warn("cannot write {}: {}", file, e.toString());
    }
  }

  private void rotate() throws IOException {
    out.close();
    for (int i = KEPT; i >= 1; i--) {
      Path from = i == 1 ? file : file.resolveSibling(file.getFileName() + "." + (i - 1));
      Path to = file.resolveSibling(file.getFileName() + "." + i);
      if (Files.exists(from)) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    open();
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", file, e.toString());
    }
  }
}
