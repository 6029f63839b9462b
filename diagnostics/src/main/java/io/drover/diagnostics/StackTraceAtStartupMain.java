package io.drover.diagnostics;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * A worker main class that dies at start-up with a long stack trace on stderr: given to the master
 * as {@code --worker-main-class io.drover.diagnostics.StackTraceAtStartupMain}, it checks that the
 * crash report quotes the end of the trace. The trace (500 lines, about 45 KB, which a pipe takes
 * whole) goes out in one write and the JVM halts the moment the write returns, so the trace is
 * still in the pipe, unread by the master, when the process is gone.
 */
public final class StackTraceAtStartupMain {
  /** How deep the failing call is. */
  public static final int DEPTH = 500;

  private StackTraceAtStartupMain() {}

  /** Fails {@link #DEPTH} calls deep, writes the trace to stderr and halts with status 1. */
  public static void main(String[] args) throws IOException {
    try {
      descend(DEPTH);
    } catch (IllegalStateException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      // Not System.err, which flushes each line as it goes.
      new FileOutputStream(FileDescriptor.err).write(trace.toString().getBytes(StandardCharsets.UTF_8));
      Runtime.getRuntime().halt(1);
    }
  }

  private static void descend(int depth) {
    if (depth == 0) {
      throw new IllegalStateException("drover diagnostics: failing at start-up with a deep stack, as asked");
    }
    descend(depth - 1);
  }
}
