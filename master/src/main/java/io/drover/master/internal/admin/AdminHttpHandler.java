package io.drover.master.internal.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one admin connection: hands each aggregated request to the {@link AdminRouter} and writes
 * the answers in the order the requests came (a client may pipeline them), keeping the connection
 * open unless the client asked otherwise. A request the codec could not parse is answered 400,
 * 414 or 431 and the connection closed; a route that fails or does not answer in time is answered
 * 500 or 503 with a one-line message. The stack trace goes to the log, never to the client.
 *
 * <p>A streamed answer ({@link AdminStream}) takes the connection for good: its head says {@code
 * Connection: close}, its body goes out in chunks as the stream writes them, requests that come
 * after it are not answered, and the idle timeout does not apply (a follower may wait long for its
 * next line). The stream ends when it says so, when the client leaves, or when the server stops
 * ({@link #SERVER_STOPPING}), which ends it cleanly with the last chunk.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
  /** How long a route may take; past it the client gets 503 (the dispatch loop is stalled?). */
  static final long ROUTE_TIMEOUT_MILLIS = 10_000;
  /** A user event the server fires on each connection as it stops: end streams, close. */
  static final Object SERVER_STOPPING = new Object() {
    @Override
    public String toString() {
      return "SERVER_STOPPING";
    }
  };

  private final AdminRouter router;
  private final int maxInitialLineBytes;
  private final int maxHeaderBytes;
  /** The last answer queued; the next one is written after it. Admin loop only. */
  private CompletableFuture<Void> lastWritten = CompletableFuture.completedFuture(null);
  /** The streamed answer that has taken this connection, or null. Admin loop only. */
  private StreamOut streaming;

  AdminHttpHandler(AdminRouter router, int maxInitialLineBytes, int maxHeaderBytes) {
    this.router = router;
    this.maxInitialLineBytes = maxInitialLineBytes;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (streaming != null) {
      return; // the connection is a stream's now
    }
    DecoderResult decoded = request.decoderResult();
    // A request the codec refused says HTTP/1.0 whatever the client sent.
    HttpVersion version = decoded.isSuccess() ? request.protocolVersion() : HttpVersion.HTTP_1_1;
    boolean keepAlive = decoded.isSuccess() && HttpUtil.isKeepAlive(request);
    CompletableFuture<AdminResponse> answer =
        decoded.isSuccess() ? answer(request) : CompletableFuture.completedFuture(rejection(decoded.cause()));
    lastWritten =
        lastWritten
            .thenCombine(answer, (previous, response) -> response)
            .thenAcceptAsync(response -> write(ctx, version, response, keepAlive), ctx.executor());
  }

  private CompletableFuture<AdminResponse> answer(FullHttpRequest request) {
    CompletableFuture<AdminResponse> answer;
    try {
      answer = router.route(request.method(), request.uri(), request.headers().copy()).toCompletableFuture();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    String what = AdminRouter.printable(request.method() + " " + request.uri());
    return answer
        .orTimeout(ROUTE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .exceptionally(failure -> failed(what, failure));
  }

  private static AdminResponse failed(String what, Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      log.warn("admin: {} got no answer within {} ms", what, ROUTE_TIMEOUT_MILLIS);
      return AdminResponse.text(
          HttpResponseStatus.SERVICE_UNAVAILABLE, "the master did not answer within " + ROUTE_TIMEOUT_MILLIS + " ms; try again");
    }
    log.warn("admin: {} failed", what, cause);
    return AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (" + cause.getClass().getSimpleName() + "); see the master's log");
  }

  /** The answer to a request the codec refused. */
  AdminResponse rejection(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return AdminResponse.text(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line longer than " + maxInitialLineBytes + " bytes");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return AdminResponse.text(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers larger than " + maxHeaderBytes + " bytes");
    }
    String why = cause == null || cause.getMessage() == null ? "not an HTTP/1.x request" : AdminRouter.printable(cause.getMessage());
    return AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request: " + why);
  }

  private void write(ChannelHandlerContext ctx, HttpVersion version, AdminResponse answer, boolean keepAlive) {
    if (!ctx.channel().isActive() || streaming != null) {
      return;
    }
    if (answer.stream() != null) {
      writeStreamed(ctx, version, answer);
      return;
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            version == HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1,
            answer.status(),
            Unpooled.wrappedBuffer(answer.body()));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    for (Map.Entry<String, String> h : answer.headers().entrySet()) {
      response.headers().set(h.getKey(), h.getValue());
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void writeStreamed(ChannelHandlerContext ctx, HttpVersion version, AdminResponse answer) {
    HttpResponse head = new DefaultHttpResponse(version == HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, answer.status());
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType()).set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    for (Map.Entry<String, String> h : answer.headers().entrySet()) {
      head.headers().set(h.getKey(), h.getValue());
    }
    // HTTP/1.0 has no chunks: the body runs to the connection's close.
    HttpUtil.setTransferEncodingChunked(head, version != HttpVersion.HTTP_1_0);
    HttpUtil.setKeepAlive(head, false);
    // Flushed once the stream has started: a client that has the head sees every line from then on.
    ctx.write(head);
    streaming = new StreamOut(ctx, answer.stream());
    try {
      answer.stream().start(streaming);
    } catch (RuntimeException e) {
      log.warn("admin: a streamed answer failed to start", e);
      streaming.end();
    }
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (streaming != null && ctx.channel().isWritable()) {
      // Not now: this may be called from inside the stream's own write (a flush that drained the
      // buffer), and a stream must not be re-entered in the middle of writing.
      StreamOut out = streaming;
      ctx.executor().execute(
          () -> {
            if (out.writable()) {
              out.stream.writable();
            }
          });
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (streaming != null) {
      streaming.ended = true;
      streaming.stream.closed();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == SERVER_STOPPING) {
      if (streaming != null) {
        streaming.end();
      } else {
        ctx.close();
      }
    } else if (event instanceof IdleStateEvent) {
      if (streaming == null) {
        ctx.close();
      }
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and broken pipes are what clients do; nothing the operator needs to read about.
    log.debug("admin connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** A streamed answer's way out: chunks on this connection. Admin loop only. */
  private static final class StreamOut implements AdminStream.Out {
    private final ChannelHandlerContext ctx;
    private final AdminStream stream;
    private boolean ended;

    StreamOut(ChannelHandlerContext ctx, AdminStream stream) {
      this.ctx = ctx;
      this.stream = stream;
    }

    @Override
    public boolean writable() {
      return !ended && ctx.channel().isWritable();
    }

    @Override
    public void write(CharSequence text) {
      if (!ended) {
        ctx.writeAndFlush(new DefaultHttpContent(ByteBufUtil.writeUtf8(ctx.alloc(), text)));
      }
    }

    @Override
    public void end() {
      if (!ended) {
        ended = true;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
