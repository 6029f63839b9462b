package io.drover.master.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.master.internal.logging.LogRing;
import io.drover.master.internal.transport.ListenSocket;
import io.drover.master.internal.transport.Transport;
import io.netty.channel.EventLoop;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A follower that stops reading, over a real TCP connection: the admin server drops its lines
 * instead of buffering them, and tells it how many once it reads again.
 */
class LogsSlowReaderTest {
  private static final Pattern DROPPED = Pattern.compile("\\[\\.\\.\\. (\\d+) lines? dropped\\]\n");

  @Test
  void aFollowerThatStopsReadingIsToldHowManyLinesItMissedAndThenGetsTheNextOnes() throws Exception {
    // Room for every line: what is dropped is dropped for the reader, not by the ring.
    String line = "x".repeat(2_000);
    int appended = 5_000;
    LogRing ring = new LogRing(appended + 10, (long) appended * line.length() + 100_000);
    AtomicReference<EventLoop> adminLoop = new AtomicReference<>();
    try (AdminServer server =
            AdminServer.start(
                Transport.best(),
                ListenSocket.bind("127.0.0.1", 0),
                loop -> {
                  adminLoop.set(loop);
                  return new AdminRouter().get("/logs", new LogsRoute(ring, loop));
                });
        Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.setSoTimeout(60_000);
      socket.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), 10_000);
      socket.getOutputStream().write("GET /logs?lines=0&follow=1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder read = new StringBuilder();
      readUntil(in, read, "\r\n\r\n");
      // Far more than the socket buffers on both sides and the channel's high-water mark hold,
      // while the follower reads nothing.
      for (int i = 0; i < appended; i++) {
        ring.appendWorkerLine(1, 42, false, line);
      }
      // The ring's last wake-up is queued on the admin loop before this: once this has run, every
      // line has been written to the follower or dropped, and it has read nothing yet.
      adminLoop.get().submit(() -> null).get(60, TimeUnit.SECONDS);
      readUntil(in, read, " dropped]\n");
      ring.appendWorkerLine(1, 42, false, "the line after");
      readUntil(in, read, "[worker 1 pid 42] the line after\n");
      Matcher dropped = DROPPED.matcher(read);
      long droppedLines = 0;
      while (dropped.find()) {
        droppedLines += Long.parseLong(dropped.group(1));
      }
      assertThat(droppedLines).as("lines said to be dropped").isPositive();
      long readLines = Pattern.compile("\\[worker 1 pid 42\\] x+\n").matcher(read).results().count();
      assertThat(readLines + droppedLines).as("lines read or said to be dropped").isEqualTo(appended);
    }
  }

  /** Reads from {@code in} into {@code read} until it holds {@code wanted}; the socket's timeout guards a hang. */
  private static void readUntil(InputStream in, StringBuilder read, String wanted) throws java.io.IOException {
    byte[] buffer = new byte[64 * 1024];
    while (read.indexOf(wanted) < 0) {
      int n;
      try {
        n = in.read(buffer);
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("no '" + wanted.strip() + "' within 60 s of silence, after " + read.length() + " characters", e);
      }
      assertThat(n).as("'%s' read before the connection closed", wanted.strip()).isPositive();
      read.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    }
  }
}
