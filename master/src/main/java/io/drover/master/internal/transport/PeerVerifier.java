package io.drover.master.internal.transport;

/**
 * Decides whether a process that connected to the worker socket may act as a worker, from the
 * credentials the kernel reports for it (SO_PEERCRED).
 */
public interface PeerVerifier {
  /**
   * Checks a peer.
   *
   * @return {@code null} to accept, or the reason it is refused
   */
  String verify(long pid, long uid);
}
