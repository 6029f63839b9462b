package io.drover.master.internal.upgrade;

/**
 * The conversation between a master being upgraded (the old one) and its successor (the new one),
 * over the Unix domain socket whose path the old master puts in the successor's environment:
 *
 * <ol>
 *   <li>the new master connects; the old one checks by the peer's credentials that it is the
 *       process it started, then sends two file descriptors (SCM_RIGHTS), the listening client
 *       socket's and then the admin endpoint's;
 *   <li>the new master starts its workers, not accepting yet, and writes {@code READY} (or {@code
 *       FAILED <reason>} and exits);
 *   <li>the old master stops accepting and writes {@code GO} (or, when it has given up waiting,
 *       {@code ABORT <reason>}); on {@code GO} the new master accepts on both sockets, and the old
 *       one tells its clients to move (GOAWAY), finishes its tasks and exits.
 * </ol>
 *
 * Messages are lines of UTF-8 text. Connections waiting in the kernel's accept queue between the
 * old master's last accept and the new one's first stay there: the socket is never closed.
 */
final class HandoverProtocol {
  /** The environment variable that gives the new master the hand-over socket's path. */
  static final String ENVIRONMENT = "DROVER_HANDOVER_SOCKET";

  static final String READY = "READY";
  static final String FAILED = "FAILED";
  static final String GO = "GO";
  static final String ABORT = "ABORT";

  /** The longest line either side writes (a reason is cut to fit). */
  static final int MAX_LINE = 4096;

  private HandoverProtocol() {}

  /** {@code word} and {@code reason} as one line, the reason on one line and cut to fit. */
  static String line(String word, String reason) {
    String oneLine = reason == null ? "" : " " + reason.replaceAll("[\\r\\n]+", " | ");
    String line = word + oneLine;
    return (line.length() > MAX_LINE - 1 ? line.substring(0, MAX_LINE - 1) : line) + "\n";
  }
}
