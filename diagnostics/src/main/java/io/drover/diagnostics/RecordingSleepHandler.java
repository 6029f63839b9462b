package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Task type {@code "recorded-sleep"}: appends a line {@code <task id> <attempt>} to a file of its
 * own before it runs, then sleeps for as many milliseconds as its payload says and echoes the
 * payload. Each line reaches the file before the handler goes on, so a worker killed the moment
 * after still leaves the record: a test reads the files to see whether any task ran twice.
 */
public final class RecordingSleepHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "recorded-sleep";

  /** Environment variable naming the directory of {@link #inRecordDirectory()}. */
  public static final String ENV_RECORD_DIR = "DROVER_RECORD_DIR";

  private final FileChannel record;

  /** A handler recording into {@code worker-<pid>.log} in the directory {@value #ENV_RECORD_DIR} names. */
  public static RecordingSleepHandler inRecordDirectory() throws IOException {
    String dir = System.getenv(ENV_RECORD_DIR);
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(ENV_RECORD_DIR + " is not set (expected: a directory for the records)");
    }
    return new RecordingSleepHandler(Path.of(dir, "worker-" + ProcessHandle.current().pid() + ".log"));
  }

  /** Records into {@code file}, created if missing, appended to otherwise. */
  public RecordingSleepHandler(Path file) throws IOException {
    this.record =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) throws Exception {
    byte[] line = (context.taskId() + " " + context.attempt() + "\n").getBytes(StandardCharsets.US_ASCII);
    synchronized (record) {
      ByteBuffer buf = ByteBuffer.wrap(line);
      while (buf.hasRemaining()) {
        record.write(buf);
      }
    }
    Thread.sleep(Long.parseLong(new String(payload, StandardCharsets.US_ASCII).trim()));
    return payload;
  }
}
