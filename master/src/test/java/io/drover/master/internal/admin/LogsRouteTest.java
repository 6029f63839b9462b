package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.internal.logging.LogLine;
import io.drover.master.internal.logging.LogRing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /logs} through the admin pipeline as {@link AdminServer} builds it, on an embedded channel. */
class LogsRouteTest {
  private final LogRing ring = new LogRing();
  private EmbeddedChannel channel;
  private final LogsRoute route = new LogsRoute(ring, task -> channel.eventLoop().execute(task));

  {
    channel =
        new EmbeddedChannel(
            new HttpServerCodec(
                new HttpDecoderConfig().setMaxInitialLineLength(AdminServer.MAX_INITIAL_LINE_BYTES).setMaxHeaderSize(AdminServer.MAX_HEADER_BYTES)),
            new HttpObjectAggregator(AdminServer.MAX_CONTENT_BYTES),
            new AdminHttpHandler(new AdminRouter().get("/logs", route), AdminServer.MAX_INITIAL_LINE_BYTES, AdminServer.MAX_HEADER_BYTES));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private String exchange(String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    return written();
  }

  private String get(String target) {
    return exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  /** What the channel wrote since the last call, once its pending tasks (the ring's wake-ups) ran. */
  private String written() {
    channel.runPendingTasks();
    StringBuilder out = new StringBuilder();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      out.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return out.toString();
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  private void fill() {
    ring.append(1_000, LogLine.MASTER, 7, false, "INFO", "master one");
    ring.appendWorkerLine(1, 101, false, "worker one");
    ring.appendWorkerLine(2, 202, true, "worker two");
    ring.append(1_000, LogLine.MASTER, 7, false, "WARN", "master two");
  }

  @Test
  void answersTheLastLinesOfEverySourceOrOfOne() {
    fill();
    String all = get("/logs");
    assertThat(all).startsWith("HTTP/1.1 200 OK").contains("content-type: text/plain; charset=utf-8");
    assertThat(body(all).lines())
        .containsExactly(
            "1970-01-01T00:00:01.000Z [master] INFO  master one",
            body(all).lines().toList().get(1),
            body(all).lines().toList().get(2),
            "1970-01-01T00:00:01.000Z [master] WARN  master two");
    assertThat(body(all).lines().toList().get(1)).endsWith(" [worker 1 pid 101] worker one");
    assertThat(body(all).lines().toList().get(2)).endsWith(" [worker 2 pid 202 stderr] worker two");
    assertThat(body(get("/logs?lines=2")).lines()).hasSize(2).last().asString().endsWith("master two");
    assertThat(body(get("/logs?worker=2")).lines()).singleElement().asString().endsWith("worker two");
    assertThat(body(get("/logs?worker=master&lines=1")).lines()).singleElement().asString().endsWith("master two");
    assertThat(body(get("/logs?worker=3"))).isEmpty();
    assertThat(body(get("/logs?lines=0"))).isEmpty();
    assertThat(body(get("/logs?follow=0")).lines()).hasSize(4);
  }

  @Test
  void answersTheDefaultHundredLines() {
    for (int i = 0; i < 150; i++) {
      ring.appendWorkerLine(1, 1, false, "line " + i);
    }
    assertThat(body(get("/logs")).lines()).hasSize(LogsRoute.DEFAULT_LINES).last().asString().endsWith("line 149");
  }

  @Test
  void badParametersAre400WithWhatTheyTake() {
    assertThat(get("/logs?lines=abc")).startsWith("HTTP/1.1 400 ").endsWith("lines: abc (expected: an integer from 0 to 2000)\n");
    assertThat(get("/logs?lines=-1")).startsWith("HTTP/1.1 400 ").endsWith("lines: -1 (expected: an integer from 0 to 2000)\n");
    assertThat(get("/logs?lines=2001")).startsWith("HTTP/1.1 400 ").endsWith("lines: 2001 (expected: an integer from 0 to 2000)\n");
    assertThat(get("/logs?lines=99999999999999")).startsWith("HTTP/1.1 400 ");
    assertThat(get("/logs?worker=0")).startsWith("HTTP/1.1 400 ").endsWith("worker: 0 (expected: master, or a worker id from 1)\n");
    assertThat(get("/logs?worker=all")).startsWith("HTTP/1.1 400 ").endsWith("worker: all (expected: master, or a worker id from 1)\n");
    assertThat(get("/logs?follow=maybe")).startsWith("HTTP/1.1 400 ").endsWith("follow: maybe (expected: 1 or 0)\n");
    assertThat(get("/logs?tail=5")).startsWith("HTTP/1.1 400 ").endsWith("unknown parameter: tail (expected: lines, worker, follow)\n");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void followSendsTheLastLinesThenEachNewBatchAsOneChunk() {
    fill();
    String head = get("/logs?worker=2&lines=1&follow=1");
    assertThat(head).startsWith("HTTP/1.1 200 OK").contains("transfer-encoding: chunked").contains("connection: close");
    assertThat(head).contains(" [worker 2 pid 202 stderr] worker two\n");
    assertThat(route.following()).isEqualTo(1);
    ring.appendWorkerLine(2, 202, false, "new a");
    ring.appendWorkerLine(1, 101, false, "not for this reader");
    ring.appendWorkerLine(2, 202, false, "new b");
    String chunk = written();
    assertThat(chunk).contains("new a\n").contains("new b\n").doesNotContain("not for this reader");
    // One chunk for the batch: one size line, the two lines, the chunk's end.
    assertThat(chunk.split("\r\n")).hasSize(2);
    assertThat(written()).isEmpty();
    ring.appendWorkerLine(2, 303, false, "after a restart");
    assertThat(written()).contains(" [worker 2 pid 303] after a restart\n");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aReaderThatCannotKeepUpGetsHowManyLinesItMissedThenTheNextOnes() {
    get("/logs?lines=0&follow=1");
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    for (int i = 0; i < 5; i++) {
      ring.appendWorkerLine(1, 101, false, "missed " + i);
    }
    assertThat(written()).isEmpty();
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    assertThat(written()).contains("[... 5 lines dropped]\n").doesNotContain("missed");
    ring.appendWorkerLine(1, 101, false, "seen");
    assertThat(written()).contains(" [worker 1 pid 101] seen\n").doesNotContain("dropped");
  }

  @Test
  void aStoppingServerEndsTheStreamWithItsLastChunk() {
    get("/logs?follow=1");
    channel.pipeline().fireUserEventTriggered(AdminHttpHandler.SERVER_STOPPING);
    assertThat(written()).endsWith("0\r\n\r\n");
    assertThat(channel.isOpen()).isFalse();
    assertThat(route.following()).isZero();
  }

  @Test
  void aFollowerLeavingStopsTheWakeUps() {
    get("/logs?follow=1");
    channel.close();
    channel.runPendingTasks();
    assertThat(route.following()).isZero();
    ring.appendWorkerLine(1, 101, false, "nobody reads this");
    assertThat(channel.hasPendingTasks()).isFalse();
  }

  @Test
  void theIdleTimeoutDoesNotEndAStream() {
    get("/logs?follow=1");
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    assertThat(channel.isOpen()).isTrue();
    ring.appendWorkerLine(1, 101, false, "still here");
    assertThat(written()).contains("still here");
  }

  @Test
  void aRequestAfterAStreamIsNotAnsweredInsideIt() {
    fill();
    String answer = exchange("GET /logs?follow=1 HTTP/1.1\r\n\r\nGET /logs HTTP/1.1\r\n\r\n");
    assertThat(answer.split("HTTP/1.1 ", -1)).hasSize(2);
  }
}
