package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.internal.logging.RateLimitedLog;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** {@link AdminConnectionLimits}: the admin port's connection limit and request read timeout. */
@ExtendWith(LeakDetectionExtension.class)
class AdminConnectionLimitsTest {
  private final EmbeddedChannel loop = new EmbeddedChannel();
  private final AdminConnectionLimits limits =
      new AdminConnectionLimits(
          2,
          TimeUnit.SECONDS.toNanos(30),
          RateLimitedLog.of(LoggerFactory.getLogger(AdminConnectionLimitsTest.class), "test", loop.eventLoop()));
  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private final List<Object> requests = new ArrayList<>();

  @AfterEach
  void finish() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    requests.forEach(ReferenceCountUtil::release);
    loop.finishAndReleaseAll();
  }

  /** A connection set up as AdminServer sets one up, with a sink in place of the router. */
  private EmbeddedChannel connect() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(false, true);
    channels.add(ch);
    if (limits.admit(ch)) {
      ChannelInboundHandlerAdapter timer = limits.requestStart();
      ch.pipeline()
          .addLast(timer, new HttpServerCodec(), new HttpObjectAggregator(1024), new AdminConnectionLimits.RequestEnd(timer))
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  requests.add(msg);
                }
              });
    }
    ch.register();
    ch.freezeTime();
    return ch;
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  @Test
  void theConnectionOverTheLimitIsAnswered503AndOneClosingLetsANewOneIn() throws Exception {
    EmbeddedChannel first = connect();
    connect();
    EmbeddedChannel third = connect();
    ByteBuf answer = third.readOutbound();
    assertThat(answer.toString(StandardCharsets.UTF_8))
        .startsWith("HTTP/1.1 503 Service Unavailable")
        .endsWith("too many admin connections: 2 open\n");
    answer.release();
    assertThat(third.isOpen()).isFalse();

    first.close();
    EmbeddedChannel fourth = connect();
    assertThat((Object) fourth.readOutbound()).isNull();
    assertThat(fourth.isOpen()).isTrue();
  }

  @Test
  void aRequestThatDoesNotArriveWholeWithinTheTimeoutClosesTheConnection() throws Exception {
    EmbeddedChannel slow = connect();
    slow.writeInbound(ascii("GET /status HTTP/1.1\r\nHost: x"));
    slow.advanceTimeBy(29, TimeUnit.SECONDS);
    slow.runScheduledPendingTasks();
    assertThat(slow.isOpen()).isTrue();
    slow.writeInbound(ascii("y\r\nAccept: */*")); // still trickling: the same request's time
    slow.advanceTimeBy(2, TimeUnit.SECONDS);
    slow.runScheduledPendingTasks();
    assertThat(slow.isOpen()).isFalse();
  }

  @Test
  void wholeRequestsAndAnIdleConnectionBetweenThemAreNotTimed() throws Exception {
    EmbeddedChannel ok = connect();
    ok.writeInbound(ascii("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertThat(requests).hasSize(1);
    ok.advanceTimeBy(10, TimeUnit.MINUTES);
    ok.runScheduledPendingTasks();
    assertThat(ok.isOpen()).isTrue();
    ok.writeInbound(ascii("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertThat(requests).hasSize(2);
    ok.advanceTimeBy(1, TimeUnit.MINUTES);
    ok.runScheduledPendingTasks();
    assertThat(ok.isOpen()).isTrue();
  }
}
