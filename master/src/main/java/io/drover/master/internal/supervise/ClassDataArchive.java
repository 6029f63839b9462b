package io.drover.master.internal.supervise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data sharing (AppCDS) archive for worker JVMs, which roughly halves the
 * time from spawn to registration. The first worker a master spawns without an archive records
 * one when it exits ({@code -XX:ArchiveClassesAtExit}); later workers map it ({@code
 * -XX:SharedArchiveFile}). The file name hashes everything the archive depends on (the java
 * binary's version, the worker command line, the classpath jars' sizes and modification times),
 * so a rebuilt jar or another JDK simply gets a new archive. {@code -Xshare:auto} makes the JVM
 * fall back silently to no archive if one is unusable.
 */
final class ClassDataArchive {
  private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);

  private final Path file;
  private final Path recording;
  private boolean recorderSpawned;

  private ClassDataArchive(Path file) {
    this.file = file;
    // Recorded under a private name and renamed once complete, so that no JVM ever maps a
    // half-written archive, even with several masters sharing the directory.
    this.recording = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
  }

  /**
   * The archive for workers started with {@code command} (java, options, -cp, main class) over
   * {@code classpath}, kept in {@code directory}; {@code null} when {@code directory} is null or
   * cannot be used.
   */
  static ClassDataArchive in(Path directory, List<String> command, List<Path> classpath) {
    if (directory == null) {
      return null;
    }
    try {
      Files.createDirectories(directory);
      return new ClassDataArchive(directory.resolve("worker-" + fingerprint(command, classpath) + ".jsa"));
    } catch (IOException | RuntimeException e) {
      log.warn("worker class-data archive disabled: cannot use {}: {}", directory, e.toString());
      return null;
    }
  }

  /** The JVM options for the next worker: use the archive, record it, or nothing. */
  List<String> optionsForNextWorker() {
    if (Files.isRegularFile(file)) {
      return List.of("-XX:SharedArchiveFile=" + file, "-Xshare:auto");
    }
    if (!recorderSpawned) {
      recorderSpawned = true;
      log.info("no class-data archive for workers yet; the first worker records {} when it exits", file);
      return List.of("-XX:ArchiveClassesAtExit=" + recording, "-Xshare:auto");
    }
    return List.of();
  }

  /** Publishes the archive once the worker that recorded it has exited. */
  void workerExited() {
    if (!recorderSpawned || !Files.isRegularFile(recording)) {
      return;
    }
    try {
      Files.move(recording, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      log.info("recorded the worker class-data archive {}", file);
    } catch (IOException e) {
      log.warn("cannot publish the worker class-data archive {}: {}", file, e.toString());
      try {
        Files.deleteIfExists(recording);
      } catch (IOException ignored) {
        // Nothing more to do: the next master records again.
      }
    }
  }

  private static String fingerprint(List<String> command, List<Path> classpath) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
      md.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
      for (String arg : command) {
        md.update(arg.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      for (Path p : classpath) {
        if (Files.exists(p)) {
          md.update((p.toAbsolutePath() + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis())
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
