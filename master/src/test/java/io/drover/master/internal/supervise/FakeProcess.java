package io.drover.master.internal.supervise;

import java.io.InputStream;
import java.io.OutputStream;

/** A process that exists only as a pid and an exit status, for tests of what watches processes. */
final class FakeProcess extends Process {
  private final long pid;
  private volatile Integer exitStatus;

  FakeProcess(long pid) {
    this.pid = pid;
  }

  /** Makes the process exit with {@code status}. */
  FakeProcess exit(int status) {
    exitStatus = status;
    return this;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean isAlive() {
    return exitStatus == null;
  }

  @Override
  public int exitValue() {
    if (exitStatus == null) {
      throw new IllegalThreadStateException("process " + pid + " has not exited");
    }
    return exitStatus;
  }

  @Override
  public int waitFor() {
    throw new UnsupportedOperationException("a fake process never exits by itself");
  }

  @Override
  public void destroy() {
    exit(143);
  }

  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public InputStream getErrorStream() {
    return InputStream.nullInputStream();
  }
}
