package io.drover.client.internal;

import io.drover.client.DroverConnectionException;
import io.drover.client.DroverTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/**
 * Turns {@link DroverTls} settings into Netty's client-side TLS: TLS 1.3 and 1.2 only, with the
 * JDK's provider (or OpenSSL when the program has netty-tcnative), and hostname verification as
 * the settings say. Also words handshake failures the way a user looks for them.
 */
public final class ClientTls {
  private final SslContext context;
  private final long handshakeTimeoutMillis;

  private ClientTls(SslContext context, long handshakeTimeoutMillis) {
    this.context = context;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  /**
   * Reads the files {@code tls} names.
   *
   * @throws DroverConnectionException naming the file that cannot be used
   */
  public static ClientTls of(DroverTls tls, long handshakeTimeoutMillis) {
    SslContextBuilder b = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
    b.endpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
    try {
      if (tls.trustedCertificates() != null) {
        b.trustManager(tls.trustedCertificates().toFile());
      }
      if (tls.clientCertificate() != null) {
        b.keyManager(tls.clientCertificate().toFile(), tls.clientKey().toFile());
      }
      return new ClientTls(b.build(), handshakeTimeoutMillis);
    } catch (SSLException | IllegalArgumentException e) {
      throw new DroverConnectionException(
          "cannot use the TLS files (CA " + tls.trustedCertificates() + ", certificate " + tls.clientCertificate()
              + ", key " + tls.clientKey() + "): " + e.getMessage(), e);
    }
  }

  /** A handler for a new connection to {@code host}:{@code port} (the name verified and sent as SNI). */
  public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
    SslHandler h = context.newHandler(alloc, host, port);
    h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return h;
  }

  /** Why a handshake with the master at {@code remote} failed, in one line. */
  public static String handshakeFailure(String remote, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return "the master at " + remote + " answered without TLS: is TLS on at that port? (this client has TLS on)";
      }
    }
    if (cause instanceof ClosedChannelException) {
      return "the master at " + remote + " closed the connection during the TLS handshake";
    }
    String message = String.valueOf(cause.getMessage());
    return "TLS handshake with the master at " + remote + " failed: " + message
        + (message.contains("alert")
            ? " (the master refused the handshake: it may require a client certificate, or not trust this one)"
            : "");
  }
}
