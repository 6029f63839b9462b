package io.drover.bench.relay;

import java.util.ArrayDeque;

/**
 * One echo backend as the relay sees it: the batch of frames going to it and, because a backend
 * answers in order, the FIFO of client batches its replies go back to.
 */
final class RelayBackend {
  private final FrameBatch toBackend;
  private final ArrayDeque<FrameBatch> replyTo = new ArrayDeque<>(1024);

  RelayBackend(FrameBatch toBackend) {
    this.toBackend = toBackend;
  }

  FrameBatch toBackend() {
    return toBackend;
  }

  /** Frames sent to this backend and not yet answered. */
  int outstanding() {
    return replyTo.size();
  }

  /** Remembers that the next unanswered frame came from {@code client}. */
  void expectReplyFor(FrameBatch client) {
    replyTo.addLast(client);
  }

  /** Where the reply just received goes; null if the backend sent more replies than frames. */
  FrameBatch nextReplyTarget() {
    return replyTo.pollFirst();
  }
}
