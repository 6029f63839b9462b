package io.drover.master;

import io.drover.master.internal.admin.MasterControl;
import io.drover.master.status.ReloadOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The admin endpoint's way to change the master, which starts before the master is whole: until
 * {@link #master} is set, every change is refused as "starting".
 */
final class DeferredControl implements MasterControl {
  private volatile DroverMaster master;

  void master(DroverMaster master) {
    this.master = master;
  }

  private DroverMaster started() {
    DroverMaster m = master;
    if (m == null) {
      throw new IllegalStateException("the master is starting: try again once it serves");
    }
    return m;
  }

  private static <T> CompletionStage<T> failed(IllegalStateException e) {
    return CompletableFuture.failedFuture(e);
  }

  @Override
  public CompletionStage<ReloadOutcome> reload() {
    try {
      return started().reload();
    } catch (IllegalStateException e) {
      return failed(e);
    }
  }

  @Override
  public int poolSize() {
    DroverMaster m = master;
    return m == null ? 0 : m.poolSize();
  }

  @Override
  public CompletionStage<String> scale(int workers) {
    try {
      return started().scale(workers);
    } catch (IllegalStateException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<String> upgrade(java.nio.file.Path jar, java.time.Duration timeout) {
    try {
      return started().upgrade(jar, timeout);
    } catch (IllegalStateException e) {
      return failed(e);
    }
  }

  @Override
  public CompletionStage<String> restart(Integer workerId) {
    try {
      return started().beginRestartingWorkers(workerId);
    } catch (IllegalStateException e) {
      return failed(e);
    }
  }
}
