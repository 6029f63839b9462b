package io.drover.master.internal.admin;

/**
 * A response body sent as it is produced ({@code GET /logs?follow=1}), for as long as its source
 * has more: after the response's head, each {@link Out#write} is one HTTP/1.1 chunk, flushed at
 * once, until the stream {@link Out#end ends} it, the client goes away or the server stops. The
 * connection closes after a streamed response.
 *
 * <p>Every method is called on the admin loop, and {@link Out} must be used only there. A stream
 * must respect {@link Out#writable()}: writing on while the client reads slowly would make the
 * master buffer without bound.
 */
public interface AdminStream {
  /**
   * The response's head is written (and flushed when this returns, so that a client that has the
   * head knows the stream has started): write the body to {@code out} from now on.
   */
  void start(Out out);

  /** The connection became writable again after {@link Out#writable()} said false. */
  void writable();

  /** The connection closed (the client left, or {@link Out#end} was called): stop writing. */
  void closed();

  /** Where a stream writes its body. */
  interface Out {
    /** Whether the connection takes more now (its outbound buffer is below its high mark). */
    boolean writable();

    /** Writes {@code text} (UTF-8) as one chunk and flushes it. */
    void write(CharSequence text);

    /** Ends the body and closes the connection once it is written. */
    void end();
  }
}
