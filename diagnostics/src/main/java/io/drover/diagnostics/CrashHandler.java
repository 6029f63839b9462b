package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.Arrays;

/**
 * Task type {@code "crash"}: halts the worker JVM at once when the payload is exactly {@code
 * halt} (to the master it looks like an OOM kill in the middle of a task); crashes the JVM itself
 * with a segmentation fault when it is {@code segv} (the JVM writes its {@code hs_err} file and
 * aborts); echoes any other payload.
 */
public final class CrashHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "crash";
  /** The exit status the worker dies with. */
  public static final int EXIT_STATUS = 99;

  private static final byte[] HALT = {'h', 'a', 'l', 't'};
  private static final byte[] SEGV = {'s', 'e', 'g', 'v'};

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    if (Arrays.equals(payload, HALT)) {
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
    if (Arrays.equals(payload, SEGV)) {
      writeToAddressZero();
    }
    return payload;
  }

  private static void writeToAddressZero() {
    try {
      java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      ((sun.misc.Unsafe) f.get(null)).putAddress(0L, 0L);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reach sun.misc.Unsafe to crash the JVM", e);
    }
  }
}
