package io.drover.master.internal.admin;

import io.drover.master.status.ReloadOutcome;
import java.util.concurrent.CompletionStage;

/** What the admin endpoint's POST routes ask of the master; each call returns at once. */
public interface MasterControl {
  /** Reads the settings again and applies them; the outcome says what changed, or why nothing did. */
  CompletionStage<ReloadOutcome> reload();

  /** The pool's size now. */
  int poolSize();

  /** Grows or shrinks the pool; completes with one line once the change has begun. */
  CompletionStage<String> scale(int workers);

  /**
   * Begins a rolling restart (of worker {@code workerId} only, when not null); completes with one
   * line once it has begun, or fails at once (one in progress, no such worker).
   */
  CompletionStage<String> restart(Integer workerId);

  /**
   * Starts a new master that takes this one's place without closing its sockets (with {@code jar}
   * when not null); completes with one line once it runs, or fails with an {@link
   * io.drover.master.internal.upgrade.UpgradeException}. The outcome is in status.
   */
  CompletionStage<String> upgrade(java.nio.file.Path jar, java.time.Duration timeout);
}
