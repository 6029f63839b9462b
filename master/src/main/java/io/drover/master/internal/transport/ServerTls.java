package io.drover.master.internal.transport;

import io.drover.master.config.TlsSettings;
import io.drover.master.internal.logging.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS contexts of the client and admin ports, in one place that each port's channel
 * initializer reads once per new connection. A reload builds new contexts from the files and
 * swaps them in: handshakes from then on use the new certificate, connections already open keep
 * the context they were made with (their {@code SslHandler} holds it), and nothing is dropped.
 * Files that do not check out leave the running contexts as they are.
 *
 * <p>A port without TLS gets no handler at all: its pipeline, and so the task path, is exactly
 * what it is without this class.
 */
public final class ServerTls {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** Whether the admin port serves HTTPS: fixed at start, since the CLI finds it by its scheme. */
  private final boolean admin;
  private volatile SslContext client;
  private volatile SslContext adminContext;
  /** How long a handshake may take; fixed before the ports open. */
  private volatile java.time.Duration handshakeTimeout = io.drover.master.config.ConnectionLimits.DEFAULT_TLS_HANDSHAKE_TIMEOUT;
  /** Told of each client handshake that timed out, on the client connections' loop. */
  private volatile Runnable clientHandshakeTimedOut = () -> {};

  private ServerTls(boolean admin) {
    this.admin = admin;
  }

  /**
   * Reads and checks the files of {@code settings}, and logs what the ports will serve.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static ServerTls load(TlsSettings settings) {
    ServerTls tls = new ServerTls(settings.admin());
    String outcome = tls.reload(settings);
    if (settings.enabled()) {
      log.info("{}", outcome);
    }
    return tls;
  }

  /**
   * Builds contexts from {@code settings}' files and makes new connections use them; on a
   * refusal the running contexts stay.
   *
   * @return what the ports serve now, in one line
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public String reload(TlsSettings settings) {
    if (!settings.enabled()) {
      client = null;
      adminContext = null;
      return "TLS off on the client port" + (admin ? " and the admin port" : "");
    }
    ServerTlsContext c = ServerTlsContext.build(settings, true);
    SslContext a = admin ? ServerTlsContext.build(settings, false).context() : null;
    client = c.context();
    adminContext = a;
    return "TLS on the client port" + (admin ? " and the admin port" : "") + ": " + c.description();
  }

  /**
   * Sets how long a handshake on either port may take, and who counts the client port's that
   * time out (called on the client connections' loop). Call before the ports open.
   */
  public void handshakeTimeout(java.time.Duration timeout, Runnable clientTimedOut) {
    this.handshakeTimeout = timeout;
    this.clientHandshakeTimedOut = clientTimedOut;
  }

  /** The context new client connections get now, or null without TLS. */
  SslContext clientContext() {
    return client;
  }

  /** Whether the admin port serves HTTPS. */
  public boolean adminTls() {
    return admin;
  }

  /**
   * Puts TLS first in a new client connection's pipeline, when the client port has it on. Call
   * before adding the frame decoder.
   *
   * @param handshakeErrors the limiter of the port's connection warnings
   */
  public void initClientChannel(Channel ch, RateLimitedLog handshakeErrors) {
    init(ch, client, handshakeErrors, "client", clientHandshakeTimedOut);
  }

  /** As {@link #initClientChannel}, for a new admin connection. */
  public void initAdminChannel(Channel ch, RateLimitedLog handshakeErrors) {
    init(ch, adminContext, handshakeErrors, "admin client", () -> {});
  }

  private void init(Channel ch, SslContext context, RateLimitedLog handshakeErrors, String role, Runnable timedOut) {
    if (context != null) {
      io.netty.handler.ssl.SslHandler ssl = context.newHandler(ch.alloc());
      ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
      ch.pipeline().addLast(
          ssl, new TlsHandshakeWatch(
              handshakeErrors,
              role,
              timedOut,
              io.drover.protocol.HumanUnits.duration(handshakeTimeout)
                  + " (--tls-handshake-timeout " + ClientConnections.optionSeconds(handshakeTimeout) + ")"));
    }
  }
}
