package io.drover.client;

import io.drover.client.internal.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * I/O threads that several {@link DroverClient}s share, instead of each starting its own: give it
 * to {@link DroverClientBuilder#eventLoops(ClientEventLoops)}. Each client's connection runs on
 * one of these threads, and so do its futures' callbacks. Closing a client leaves these threads
 * running; {@link #close()} them once the clients that use them are closed.
 *
 * <pre>{@code
 * try (ClientEventLoops loops = ClientEventLoops.create(2)) {
 *   DroverClient a = DroverClient.builder().host("10.0.0.5").eventLoops(loops).build();
 *   DroverClient b = DroverClient.builder().host("10.0.0.6").eventLoops(loops).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>It wraps a Netty event loop group (epoll where it loads, NIO elsewhere) without exposing it,
 * so that applications need not compile against the Netty version the client uses.
 */
public final class ClientEventLoops implements AutoCloseable {
  private static final long CLOSE_WAIT_MILLIS = 2_000;

  private final EventLoopGroup group;

  private ClientEventLoops(EventLoopGroup group) {
    this.group = group;
  }

  /**
   * Starts {@code threads} daemon I/O threads.
   *
   * @param threads greater than zero; a connection uses one thread, so more threads than clients
   *     are idle
   */
  public static ClientEventLoops create(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
    }
    return new ClientEventLoops(Transports.newGroup(threads));
  }

  /** The Netty group; for the client's own use. */
  EventLoopGroup group() {
    return group;
  }

  /**
   * Stops the threads, waiting up to a few seconds; clients still using them fail their tasks
   * with a {@link DroverConnectionException}. Idempotent.
   */
  @Override
  public void close() {
    var terminated = group.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    if (!runsThisThread()) { // a thread cannot wait for its own end
      terminated.awaitUninterruptibly(CLOSE_WAIT_MILLIS * 2);
    }
  }

  private boolean runsThisThread() {
    for (EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ClientEventLoops{shutDown=" + group.isShuttingDown() + '}';
  }
}
