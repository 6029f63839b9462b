package io.drover.master.internal.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
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
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
  /** How long a route may take; past it the client gets 503 (the dispatch loop is stalled?). */
  static final long ROUTE_TIMEOUT_MILLIS = 10_000;

  private final AdminRouter router;
  private final int maxInitialLineBytes;
  private final int maxHeaderBytes;
  /** The last answer queued; the next one is written after it. Admin loop only. */
  private CompletableFuture<Void> lastWritten = CompletableFuture.completedFuture(null);

  AdminHttpHandler(AdminRouter router, int maxInitialLineBytes, int maxHeaderBytes) {
    this.router = router;
    this.maxInitialLineBytes = maxInitialLineBytes;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
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

  private static void write(ChannelHandlerContext ctx, HttpVersion version, AdminResponse answer, boolean keepAlive) {
    if (!ctx.channel().isActive()) {
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

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      ctx.close();
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
}
