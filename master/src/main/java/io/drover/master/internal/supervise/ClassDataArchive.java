package io.drover.master.internal.supervise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data sharing (AppCDS) archive for worker JVMs, which roughly halves the
 * time from spawn to registration. When the cache holds no archive for the workers' current
 * inputs ({@link ClassDataFingerprint}: a deploy that changes a jar changes the name), the next
 * worker records one when it exits ({@code -XX:ArchiveClassesAtExit}); later workers map it
 * ({@code -XX:SharedArchiveFile}, {@code -Xshare:auto}).
 *
 * <p>What the master guards against:
 *
 * <ul>
 *   <li>A recording is published only if its worker registered and then exited with status 0:
 *       the archive of a worker that failed to start holds almost nothing (and would stop a good
 *       one being recorded), and one that was killed may be half-written. Any other recording is
 *       deleted, and none is tried again until some worker has registered, so a crash-looping
 *       worker does not pay for a recording at every restart.
 *   <li>The JVM's CDS messages (a recording prints a warning per class it skips; a refused
 *       archive one line per worker start) go to a file per worker in the runtime directory, not
 *       into the master's log. A worker whose file holds a message when it registers, or which
 *       died of a JVM fatal error before registering, had its archive refused: the archive is
 *       deleted once, with one warning, and the next worker records a new one; after {@link
 *       #MAX_REFUSALS} refusals this master stops using archives.
 *   <li>The master stopping while its recording worker has exited but before that was handled
 *       ({@link #close}), or being killed, which leaves a recording the next master deletes
 *       ({@link ClassDataCache#tidy}).
 * </ul>
 *
 * <p>Called on the supervisor thread, except {@link #close}, which may run as that thread ends:
 * hence the (uncontended) lock.
 */
final class ClassDataArchive {
  private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);
  /** Archives the JVM may refuse before this master stops using them. */
  static final int MAX_REFUSALS = 2;
  /** The exit status of a JVM that died of a fatal error (SIGABRT after hs_err). */
  private static final int JVM_FATAL_ERROR_STATUS = 128 + 6;

  private final ClassDataCache cache;
  private final Path logDirectory;
  private final List<String> command;
  private final List<Path> classpath;
  private final Map<String, String> environment;
  private final ClassDataFingerprint fingerprint = new ClassDataFingerprint();

  private Recording recording;
  /** False after a recording was discarded, until a worker registers. */
  private boolean mayRecord = true;
  private int refusals;
  private boolean fingerprintFailed;
  /** Workers started with an archive, until they register or exit. */
  private final Map<Long, Path> mapping = new HashMap<>();
  /** The archive this master last marked used. */
  private Path markedUsed;

  /** What a worker is started with: the JVM options, and the archive it maps or records. */
  record Use(List<String> options, Path archive, Path recordingFile) {
    static final Use NONE = new Use(List.of(), null, null);
  }

  private static final class Recording {
    final Process process;
    final Path archive;
    final Path file;
    boolean registered;

    Recording(Process process, Path archive, Path file) {
      this.process = process;
      this.archive = archive;
      this.file = file;
    }
  }

  private ClassDataArchive(
      ClassDataCache cache, Path logDirectory, List<String> command, List<Path> classpath, Map<String, String> environment) {
    this.cache = cache;
    this.logDirectory = logDirectory;
    this.command = List.copyOf(command);
    this.classpath = List.copyOf(classpath);
    this.environment = Map.copyOf(environment);
  }

  /**
   * The archives for workers started with {@code command} (java, options, -cp, main class) over
   * {@code classpath} and with {@code environment} (the JVM option variables they see), kept in
   * {@code directory}, with each worker's CDS messages written to {@code logDirectory}; {@code
   * null} when {@code directory} is null or cannot be used.
   */
  static ClassDataArchive in(
      Path directory, Path logDirectory, List<String> command, List<Path> classpath, Map<String, String> environment) {
    if (directory == null) {
      return null;
    }
    try {
      return new ClassDataArchive(ClassDataCache.open(directory), logDirectory, command, classpath, environment);
    } catch (IOException | RuntimeException e) {
      log.warn("worker class-data archive disabled: cannot use {}: {}", directory, e.toString());
      return null;
    }
  }

  /** What the next worker is started with: map the archive, record it, or neither. */
  synchronized Use nextWorker() {
    if (refusals >= MAX_REFUSALS) {
      return Use.NONE;
    }
    Path archive;
    try {
      archive = cache.archive(fingerprint.of(command, classpath, environment));
      fingerprintFailed = false;
    } catch (IOException | RuntimeException e) {
      if (!fingerprintFailed) {
        fingerprintFailed = true;
        log.warn("workers start without a class-data archive: cannot read their classpath: {}", e.toString());
      }
      return Use.NONE;
    }
    if (Files.isRegularFile(archive)) {
      if (!archive.equals(markedUsed)) {
        markedUsed = archive;
        cache.markUsed(archive);
      }
      return new Use(options("-XX:SharedArchiveFile=" + archive), archive, null);
    }
    if (recording != null || !mayRecord) {
      return Use.NONE;
    }
    Path file = cache.recording(archive);
    log.info("no class-data archive for these workers yet; the next one records {} when it exits", archive);
    return new Use(options("-XX:ArchiveClassesAtExit=" + file), archive, file);
  }

  /** The archive option, and the JVM's CDS messages sent to this worker's file instead of stdout. */
  private List<String> options(String archiveOption) {
    return List.of(
        archiveOption,
        "-Xshare:auto",
        "-Xlog:cds*=off",
        // Quoted: a colon in the path would end the file name.
        "-Xlog:cds*=warning:file=\"" + logDirectory.resolve("cds-%p.log") + "\"::filecount=0");
  }

  /** The worker started with {@code use} is {@code process}. */
  synchronized void started(Use use, Process process) {
    if (use.recordingFile() != null) {
      recording = new Recording(process, use.archive(), use.recordingFile());
    } else if (use.archive() != null) {
      mapping.put(process.pid(), use.archive());
    }
  }

  /** Worker {@code pid} has registered: it started, and any archive it maps was taken or refused. */
  synchronized void workerRegistered(long pid) {
    mayRecord = true;
    if (recording != null && recording.process.pid() == pid) {
      recording.registered = true;
    }
    Path archive = mapping.remove(pid);
    if (archive != null) {
      String message = firstCdsMessage(pid);
      if (message != null) {
        refused(archive, message);
      }
    }
  }

  /** Worker {@code pid} has exited with {@code status}: publish or discard its recording. */
  synchronized void workerExited(long pid, int status) {
    if (recording != null && recording.process.pid() == pid) {
      finish(status);
    }
    Path archive = mapping.remove(pid);
    if (archive != null) {
      // It never registered.
      String message = firstCdsMessage(pid);
      if (message == null && status == JVM_FATAL_ERROR_STATUS) {
        message = "a worker mapping it died of a JVM fatal error before registering";
      }
      if (message != null) {
        refused(archive, message);
      }
    }
    deleteCdsLog(pid);
  }

  /**
   * Settles a recording the supervisor will not report (the master is stopping, its workers are
   * gone): published if complete, else deleted, so that no {@code .tmp} file is left.
   */
  synchronized void close() {
    if (recording == null) {
      return;
    }
    if (recording.process.isAlive()) {
      discard("its worker was still running when the master stopped");
    } else {
      finish(recording.process.exitValue());
    }
  }

  private void finish(int status) {
    String why = null;
    if (!recording.registered) {
      why = "its worker exited before registering (" + describe(status) + ")";
    } else if (status != 0) {
      why = "its worker did not exit cleanly (" + describe(status) + ")";
    } else if (!Files.isRegularFile(recording.file)) {
      String message = firstCdsMessage(recording.process.pid());
      why = "its worker wrote none" + (message == null ? "" : ": " + message);
    }
    if (why != null) {
      discard(why);
      return;
    }
    Recording done = recording;
    recording = null;
    try {
      cache.publish(done.file, done.archive);
      markedUsed = done.archive;
      log.info("recorded the worker class-data archive {}", done.archive);
    } catch (IOException e) {
      log.warn("cannot publish the worker class-data archive {}: {}", done.archive, e.toString());
      deleteQuietly(done.file);
    }
  }

  private void discard(String why) {
    Recording gone = recording;
    recording = null;
    mayRecord = false;
    deleteQuietly(gone.file);
    log.info("discarded the worker class-data archive recorded for {}: {}", gone.archive.getFileName(), why);
  }

  private void refused(Path archive, String message) {
    if (!Files.exists(archive)) {
      return; // another worker reported it already, or another master replaced it
    }
    refusals++;
    deleteQuietly(archive);
    markedUsed = null;
    if (refusals >= MAX_REFUSALS) {
      log.warn(
          "the JVM refused the worker class-data archive {} ({}); deleted it; {} archives refused, so this master's workers start without one from now on",
          archive, message, refusals);
    } else {
      log.warn("the JVM refused the worker class-data archive {} ({}); deleted it, the next worker records a new one", archive, message);
    }
  }

  private static String describe(int status) {
    return status > 128 ? "killed by signal " + (status - 128) : "exit code " + status;
  }

  /**
   * The first error in worker {@code pid}'s CDS log, else its first message (a recording warns
   * about every class it skips before it fails), or null if it wrote none.
   */
  private String firstCdsMessage(long pid) {
    try {
      List<String> lines = Files.readAllLines(cdsLog(pid), StandardCharsets.UTF_8);
      return lines.stream()
          .filter(l -> l.contains("[error"))
          .findFirst()
          .or(() -> lines.stream().filter(l -> !l.isBlank()).findFirst())
          .orElse(null);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null; // unreadable: no evidence either way
    }
  }

  private void deleteCdsLog(long pid) {
    deleteQuietly(cdsLog(pid));
  }

  private Path cdsLog(long pid) {
    return logDirectory.resolve("cds-" + pid + ".log");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", file, e.toString());
    }
  }
}
