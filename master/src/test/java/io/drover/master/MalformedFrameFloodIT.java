package io.drover.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.master.testing.LogLines;
import io.drover.master.testing.RawClient;
import io.drover.master.testing.TestMasters;
import io.drover.protocol.proto.Status;
import io.drover.protocol.testing.LeakDetectionExtension;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One connection sends a flood of frames whose header is not a valid RequestHeader: each is
 * answered MALFORMED_FRAME on a connection that stays open, while a bystander on another
 * connection has every task served; and the master logs a few lines a second about the flood
 * (the first warnings, then how many it suppressed), not one per frame on its event loop.
 */
@ExtendWith(LeakDetectionExtension.class)
class MalformedFrameFloodIT {
  private static final int BAD_FRAMES = 100_000;
  private static final int BYSTANDER_TASKS = 5_000;
  /** A frame announcing a 5-byte header of which only 2 bytes follow. */
  private static final byte[] BAD_FRAME = {3, 5, 0x08, 0x00};

  private static final Pattern SUMMARY = Pattern.compile("suppressed ([0-9,]+) similar warnings from (\\S+) in the last");

  @Test
  void aFloodOfMalformedFramesIsAnsweredInFullLoggedInAFewLinesAndServesTheBystander() throws Exception {
    try (DroverMaster master = DroverMaster.start(TestMasters.config(2).build());
        RawClient flooder = new RawClient(master.clientAddress());
        DroverClient bystander = DroverClient.connect("127.0.0.1", master.clientAddress().getPort());
        LogLines lines = LogLines.attach("malformed request header", "similar warnings")) {
      CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(flooder));
      List<CompletableFuture<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < BYSTANDER_TASKS; i++) {
        results.add(bystander.submit("echo", ("b" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < BAD_FRAMES; i++) {
        RawClient.Response r = flooder.read();
        assertThat(r.status()).as("answer %d: %s", i, r.message()).isEqualTo(Status.MALFORMED_FRAME_VALUE);
        assertThat(r.requestId()).isZero();
      }
      flood.get(1, TimeUnit.MINUTES);
      for (int i = 0; i < BYSTANDER_TASKS; i++) {
        assertThat(new String(results.get(i).get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8)).isEqualTo("b" + i);
      }
      // The connection is still open and answers well-formed requests.
      flooder.submit(7, "echo", "still here".getBytes(StandardCharsets.UTF_8));
      RawClient.Response after = flooder.read();
      assertThat(after.requestId()).isEqualTo(7);
      assertThat(new String(after.body(), StandardCharsets.UTF_8)).isEqualTo("still here");

      String flooderAddress = "/127.0.0.1:" + flooder.socket().getLocalPort();
      // Every bad frame is in the log: as one of the few warnings let through or in a summary.
      await("warnings logged or summarized reach " + BAD_FRAMES)
          .atMost(Duration.ofSeconds(30))
          .until(() -> logged(lines, flooderAddress) + summarized(lines, flooderAddress) == BAD_FRAMES);
      System.out.printf(
          "flood of %d bad frames: %d warnings logged, %d summarized, %d log lines in all%n",
          BAD_FRAMES, logged(lines, flooderAddress), summarized(lines, flooderAddress), lines.count());
      assertThat(lines.count()).as("log lines during the flood; the first: %s", lines.first()).isLessThan(300);
    }
  }

  private static long logged(LogLines lines, String address) {
    return lines.marked().stream().filter(m -> m.startsWith("client " + address + ":")).count();
  }

  private static long summarized(LogLines lines, String address) {
    long n = 0;
    for (String m : lines.marked()) {
      Matcher s = SUMMARY.matcher(m);
      if (s.find() && s.group(2).equals(address)) {
        n += Long.parseLong(s.group(1).replace(",", ""));
      }
    }
    return n;
  }

  private static void flood(RawClient flooder) {
    try {
      OutputStream out = new BufferedOutputStream(flooder.socket().getOutputStream(), 1 << 16);
      for (int i = 0; i < BAD_FRAMES; i++) {
        out.write(BAD_FRAME);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
