package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The admin pipeline as {@link AdminServer} builds it, fed bytes through an embedded channel. */
class AdminHttpHandlerTest {
  private final CompletableFuture<AdminResponse> slow = new CompletableFuture<>();
  private final AdminRouter router =
      new AdminRouter().get("/healthz", ProbeRoutes::health).get("/slow", r -> slow).get("/broken", r -> {
        throw new IllegalStateException("a defect");
      });
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new HttpServerCodec(
              new HttpDecoderConfig()
                  .setMaxInitialLineLength(AdminServer.MAX_INITIAL_LINE_BYTES)
                  .setMaxHeaderSize(AdminServer.MAX_HEADER_BYTES)),
          new HttpObjectAggregator(AdminServer.MAX_CONTENT_BYTES),
          new AdminHttpHandler(router, AdminServer.MAX_INITIAL_LINE_BYTES, AdminServer.MAX_HEADER_BYTES));

  private String exchange(String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    channel.runPendingTasks();
    return readAll();
  }

  private String readAll() {
    StringBuilder out = new StringBuilder();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() {
    assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
    assertThat(channel.isOpen()).isTrue();
    assertThat(exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found");
    assertThat(channel.isOpen()).isTrue();
    assertThat(exchange("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void pipelinedAnswersComeInRequestOrder() {
    String first = exchange("GET /slow HTTP/1.1\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n");
    assertThat(first).isEmpty(); // /healthz waits behind /slow
    slow.complete(AdminResponse.text(HttpResponseStatus.OK, "slow"));
    channel.runPendingTasks();
    String both = readAll();
    assertThat(both.indexOf("slow\n")).isPositive().isLessThan(both.indexOf("ok\n"));
  }

  @Test
  void hugeHeadersAre431AndTheConnectionCloses() {
    String big = "X-Big: " + "a".repeat(AdminServer.MAX_HEADER_BYTES + 1) + "\r\n";
    String answer = exchange("GET /healthz HTTP/1.1\r\n" + big + "\r\n");
    assertThat(answer).startsWith("HTTP/1.1 431 Request Header Fields Too Large").contains("request headers larger than 8192 bytes");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aHugeRequestLineIs414() {
    String answer = exchange("GET /" + "a".repeat(AdminServer.MAX_INITIAL_LINE_BYTES) + " HTTP/1.1\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 414 ");
  }

  @Test
  void garbageIs400WithAShortBody() {
    String answer = exchange("\u0000\u0001garbage \u00ff\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("bad request: ").doesNotContain("\tat ");
  }

  @Test
  void aRouteThatThrowsIs500WithoutAStackTrace() {
    String answer = exchange("GET /broken HTTP/1.1\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 500 ").contains("internal error (IllegalStateException); see the master's log").doesNotContain("\tat ");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void http10ClosesUnlessAskedToKeepAlive() {
    assertThat(exchange("GET /healthz HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 200 OK");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }
}
